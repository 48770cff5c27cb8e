"""The referrals app's routes under ``/api/v1/`` (URL names in the ``v1`` namespace)."""

from django.urls import path

from diogelu.referrals.api import views

urlpatterns = [
    path("reports/", views.ReportListView.as_view(), name="report_list"),
    path("reports/<int:report_id>/", views.ReportDetailView.as_view(), name="report_detail"),
    path(
        "reports/<int:report_id>/submit/",
        views.ReportSubmitView.as_view(),
        name="report_submit",
    ),
    path(
        "reports/<int:report_id>/candidates/",
        views.ReportCandidatesView.as_view(),
        name="report_candidates",
    ),
    path(
        "reports/<int:report_id>/children/<int:child_id>/link/",
        views.LinkChildView.as_view(),
        name="report_link_child",
    ),
    path(
        "reports/<int:report_id>/decision/",
        views.DecisionView.as_view(),
        name="report_decision",
    ),
    path(
        "reports/<int:report_id>/decision/authorise/",
        views.AuthoriseDecisionView.as_view(),
        name="report_decision_authorise",
    ),
    path(
        "reports/<int:report_id>/decision/return/",
        views.ReturnDecisionView.as_view(),
        name="report_decision_return",
    ),
    path("reports/<int:report_id>/close/", views.CloseReportView.as_view(), name="report_close"),
]
