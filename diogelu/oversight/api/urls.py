from django.urls import path

from diogelu.oversight.api import views

urlpatterns = [
    path("oversight/workforce/", views.WorkforceView.as_view(), name="oversight_workforce"),
    path("oversight/caseloads/", views.CaseloadListView.as_view(), name="oversight_caseloads"),
    path(
        "oversight/supervisions/",
        views.SupervisionListView.as_view(),
        name="oversight_supervisions",
    ),
    path(
        "oversight/supervisions/<int:pk>/",
        views.SupervisionDetailView.as_view(),
        name="oversight_supervision",
    ),
    path("oversight/allocations/", views.AllocationView.as_view(), name="oversight_allocations"),
]
