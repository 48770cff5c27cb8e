"""The plans app's routes under ``/api/v1/`` (URL names in the ``v1`` namespace)."""

from django.urls import path

from diogelu.plans.api import views

urlpatterns = [
    path(
        "people/<int:person_id>/register/",
        views.PersonRegisterView.as_view(),
        name="person_register",
    ),
    path("plans/<int:plan_id>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path(
        "plans/<int:plan_id>/review/", views.ConveneReviewView.as_view(), name="conference_review"
    ),
    path("plans/<int:plan_id>/versions/", views.PlanVersionsView.as_view(), name="plan_versions"),
    path(
        "plans/<int:plan_id>/versions/<int:version_id>/",
        views.PlanVersionView.as_view(),
        name="plan_version",
    ),
    path(
        "plans/<int:plan_id>/versions/<int:version_id>/quality/",
        views.PlanQualityView.as_view(),
        name="plan_quality",
    ),
    path(
        "plans/<int:plan_id>/versions/<int:version_id>/publish/",
        views.PublishPlanView.as_view(),
        name="plan_publish",
    ),
    path(
        "plans/<int:plan_id>/core-groups/", views.CoreGroupView.as_view(), name="plan_core_groups"
    ),
    path("plans/<int:plan_id>/visits/", views.VisitsView.as_view(), name="plan_visits"),
    path("plans/<int:plan_id>/visits/due/", views.VisitsDueView.as_view(), name="plan_visits_due"),
]
