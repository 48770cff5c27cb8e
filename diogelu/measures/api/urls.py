from django.urls import path

from diogelu.measures.api import plan, views

urlpatterns = [
    path("measures/", views.MeasureListView.as_view(), name="measures_list"),
    path("measures/<slug:measure>/", views.MeasureValuesView.as_view(), name="measures_values"),
    path("measures/<slug:measure>/rows/", views.MeasureRowsView.as_view(), name="measures_rows"),
    # The improvement plan (ADR 0730)
    path(
        "improvement/inspections/",
        plan.InspectionListView.as_view(),
        name="improvement_inspections",
    ),
    path(
        "improvement/inspections/<int:inspection_id>/",
        plan.InspectionView.as_view(),
        name="improvement_inspection",
    ),
    path(
        "improvement/actions/<int:improvement_action_id>/",
        plan.ActionView.as_view(),
        name="improvement_action",
    ),
    path(
        "improvement/actions/<int:improvement_action_id>/progress/",
        plan.ActionProgressView.as_view(),
        name="improvement_action_progress",
    ),
    path(
        "improvement/actions/<int:improvement_action_id>/rag-proposals/",
        plan.ActionRagProposalView.as_view(),
        name="improvement_action_propose_rag",
    ),
    path(
        "improvement/actions/<int:improvement_action_id>/milestones/",
        plan.ActionMilestoneView.as_view(),
        name="improvement_action_milestones",
    ),
    path(
        "improvement/actions/<int:improvement_action_id>/evidence/",
        plan.ActionEvidenceView.as_view(),
        name="improvement_action_evidence",
    ),
    path(
        "improvement/actions/<int:improvement_action_id>/measures/",
        plan.ActionMeasureView.as_view(),
        name="improvement_action_measures",
    ),
    path(
        "improvement/rag-proposals/<int:rag_proposal_id>/decision/",
        plan.RagDecisionView.as_view(),
        name="improvement_rag_decision",
    ),
    path(
        "improvement/cabinet-reports/<int:cabinet_id>/",
        plan.CabinetReportView.as_view(),
        name="improvement_cabinet_report",
    ),
]
