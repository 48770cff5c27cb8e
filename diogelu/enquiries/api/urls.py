"""The enquiries app's routes under ``/api/v1/`` (URL names in the ``v1`` namespace)."""

from django.urls import path

from diogelu.enquiries.api import views

urlpatterns = [
    path(
        "reports/<int:report_id>/strategy-discussions/",
        views.StrategyDiscussionsView.as_view(),
        name="report_strategy",
    ),
    path("strategy-discussions/", views.StrategyListView.as_view(), name="strategy_list"),
    path(
        "strategy-discussions/<int:strategy_id>/",
        views.StrategyDetailView.as_view(),
        name="strategy_detail",
    ),
    path("enquiries/", views.EnquiryListView.as_view(), name="enquiry_list"),
    path("enquiries/<int:enquiry_id>/", views.EnquiryDetailView.as_view(), name="enquiry_detail"),
    path(
        "enquiries/<int:enquiry_id>/child-seen/",
        views.ChildSeenView.as_view(),
        name="enquiry_child_seen",
    ),
    path(
        "enquiries/<int:enquiry_id>/determination/",
        views.DeterminationView.as_view(),
        name="enquiry_determination",
    ),
    path(
        "enquiries/<int:enquiry_id>/ratify/",
        views.RatifyView.as_view(),
        name="enquiry_ratify",
    ),
]
