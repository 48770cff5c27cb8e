from django.urls import path

from diogelu.people import casework_views, family_views, record_views, views

urlpatterns = [
    path("people/", views.search_people_view, name="search_people"),
    path("people/<int:person_id>/", views.show_person_view, name="show_person"),
    path("people/<int:person_id>/edit/", record_views.edit_person_view, name="edit_person"),
    path(
        "people/<int:person_id>/names/add/",
        record_views.add_other_name_view,
        name="add_other_name",
    ),
    path(
        "people/<int:person_id>/addresses/add/",
        record_views.add_address_view,
        name="add_address",
    ),
    path(
        "people/<int:person_id>/names-and-addresses/",
        record_views.names_and_addresses_view,
        name="names_and_addresses",
    ),
    path(
        "people/<int:person_id>/names/change/",
        record_views.correct_other_name_view,
        name="correct_other_name",
    ),
    path(
        "people/<int:person_id>/addresses/change/",
        record_views.correct_address_view,
        name="correct_address",
    ),
    path("people/<int:person_id>/family/", views.person_family_view, name="person_family"),
    path(
        "people/<int:person_id>/family/add/",
        family_views.add_relative_view,
        name="add_relative",
    ),
    path(
        "people/<int:person_id>/family/correct/",
        family_views.correct_relationship_view,
        name="correct_relationship",
    ),
    path(
        "people/<int:person_id>/family/end/",
        family_views.end_relationship_view,
        name="end_relationship",
    ),
    path(
        "people/<int:person_id>/chronology/",
        views.person_chronology_view,
        name="person_chronology",
    ),
    path("people/<int:person_id>/notes/", casework_views.case_notes_view, name="case_notes"),
    path(
        "people/<int:person_id>/notes/write/",
        casework_views.write_case_note_view,
        name="write_case_note",
    ),
    path(
        "people/<int:person_id>/notes/significant/",
        casework_views.mark_significant_view,
        name="mark_significant",
    ),
    path(
        "people/<int:person_id>/missing/",
        casework_views.missing_episodes_view,
        name="missing_episodes",
    ),
    path(
        "people/<int:person_id>/missing/record/",
        casework_views.record_missing_view,
        name="record_missing",
    ),
    path("people/<int:person_id>/export.pdf", views.export_person_view, name="export_person"),
    path("people/<int:person_id>/merge/", views.merge_person_view, name="merge_person"),
    path("people/merges/<int:merge_id>/undo/", views.unmerge_view, name="unmerge"),
    path(
        "people/<int:person_id>/access-log/",
        views.person_access_log_view,
        name="person_access_log",
    ),
]
