"""The sharing app's routes under ``/api/v1/`` (URL names in the ``v1`` namespace)."""

from django.urls import path

from diogelu.sharing.api import views

urlpatterns = [
    path(
        "reports/<int:report_id>/requests/",
        views.ReportRequestsView.as_view(),
        name="report_requests",
    ),
    path("requests/", views.RequestListView.as_view(), name="request_list"),
    path("requests/<int:request_id>/", views.RequestDetailView.as_view(), name="request_detail"),
    path(
        "requests/<int:request_id>/answer/",
        views.AnswerRequestView.as_view(),
        name="request_answer",
    ),
    path(
        "requests/<int:request_id>/answer/amend/",
        views.AmendAnswerView.as_view(),
        name="request_answer_amend",
    ),
    path(
        "requests/<int:request_id>/cancel/",
        views.CancelRequestView.as_view(),
        name="request_cancel",
    ),
    path("outcomes/", views.OutcomeListView.as_view(), name="outcome_list"),
    path(
        "outcomes/acknowledge/",
        views.AcknowledgeOutcomesView.as_view(),
        name="outcome_acknowledge_many",
    ),
    path("outcomes/<int:outcome_id>/", views.OutcomeDetailView.as_view(), name="outcome_detail"),
    path(
        "outcomes/<int:outcome_id>/acknowledge/",
        views.AcknowledgeOutcomeView.as_view(),
        name="outcome_acknowledge",
    ),
]
