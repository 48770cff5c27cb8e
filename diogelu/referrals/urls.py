"""Reporting a child at risk (/reports/) and the MASH's work on reports (/mash/reports/)."""

from django.urls import path

from diogelu.referrals import views

urlpatterns = [
    path("reports/", views.your_reports_view, name="your_reports"),
    path("reports/new/", views.start_report_view, name="start_report"),
    path("reports/<int:pk>/", views.show_report_view, name="show_report"),
    path("reports/<int:pk>/check/", views.check_report_view, name="check_report"),
    path("reports/<int:pk>/sent/", views.report_sent_view, name="report_sent"),
    path("reports/<int:pk>/children/add/", views.add_child_view, name="add_report_child"),
    path(
        "reports/<int:pk>/children/<int:child_id>/",
        views.change_child_view,
        name="change_report_child",
    ),
    path(
        "reports/<int:pk>/children/<int:child_id>/remove/",
        views.remove_child_view,
        name="remove_report_child",
    ),
    path(
        "reports/<int:pk>/outcomes/<int:outcome_id>/acknowledge/",
        views.acknowledge_report_outcome_view,
        name="acknowledge_report_outcome",
    ),
    path(
        "reports/<int:pk>/confirmation/",
        views.confirm_in_writing_view,
        name="confirm_report_in_writing",
    ),
    path("reports/<int:pk>/<slug:step>/", views.report_step_view, name="report_step"),
    path("mash/reports/", views.mash_report_list_view, name="mash_report_list"),
    path("mash/reports/<int:pk>/", views.mash_report_view, name="mash_report"),
    path(
        "mash/reports/<int:pk>/children/<int:child_id>/link/",
        views.mash_link_child_view,
        name="mash_link_child",
    ),
    path(
        "mash/reports/<int:pk>/children/<int:child_id>/new-person/",
        views.mash_create_person_view,
        name="mash_create_person",
    ),
    path(
        "mash/reports/<int:pk>/requests/",
        views.mash_request_information_view,
        name="mash_request_information",
    ),
    path("mash/reports/<int:pk>/decision/", views.mash_decide_view, name="mash_decide"),
    path(
        "mash/reports/<int:pk>/decision/authorise/",
        views.mash_authorise_view,
        name="mash_authorise_decision",
    ),
    path(
        "mash/reports/<int:pk>/decision/return/",
        views.mash_return_decision_view,
        name="mash_return_decision",
    ),
    path(
        "mash/reports/<int:pk>/outcomes/share/",
        views.mash_share_outcomes_view,
        name="mash_share_outcomes",
    ),
    path("mash/reports/<int:pk>/close/", views.mash_close_view, name="mash_close_report"),
]
