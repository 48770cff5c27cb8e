from django.urls import path

from diogelu.people import views

urlpatterns = [
    path("people/", views.search_people_view, name="search_people"),
    path("people/<int:person_id>/", views.show_person_view, name="show_person"),
    path("people/<int:person_id>/family/", views.person_family_view, name="person_family"),
    path(
        "people/<int:person_id>/chronology/",
        views.person_chronology_view,
        name="person_chronology",
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
