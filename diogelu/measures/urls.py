from django.urls import path

from diogelu.measures import plan_views, views

urlpatterns = [
    path("performance/", views.dashboard_view, name="performance_dashboard"),
    path("performance/measures/<slug:measure>/", views.measure_view, name="measure"),
    path("performance/measures/<slug:measure>/rows/", views.measure_rows_view, name="measure_rows"),
    path(
        "performance/measures/<slug:measure>/export.csv",
        views.measure_csv_view,
        name="measure_csv",
    ),
    path("performance/measures/<slug:measure>/target/", views.target_view, name="measure_target"),
    path("performance/data-quality/", views.data_quality_view, name="data_quality"),
    path("performance/year-end/", views.year_end_view, name="year_end_return"),
    path("performance/plans/", plan_views.plans_view, name="improvement_plans"),
    path("performance/plans/new/", plan_views.inspection_new_view, name="inspection_new"),
    path("performance/plans/<int:inspection_id>/", plan_views.plan_view, name="plan_show"),
    path(
        "performance/plans/<int:inspection_id>/findings/new/",
        plan_views.finding_new_view,
        name="finding_new",
    ),
    path(
        "performance/plans/<int:inspection_id>/actions/new/",
        plan_views.action_new_view,
        name="improvement_action_new",
    ),
    path(
        "performance/findings/<int:finding_id>/edit/",
        plan_views.finding_edit_view,
        name="finding_edit",
    ),
    path(
        "performance/actions/<int:improvement_action_id>/edit/",
        plan_views.action_edit_view,
        name="improvement_action_edit",
    ),
    path(
        "performance/plans/<int:inspection_id>/stocktake/",
        plan_views.stocktake_view,
        name="plan_stocktake",
    ),
    path(
        "performance/plans/<int:inspection_id>/report/",
        plan_views.report_new_view,
        name="plan_report_new",
    ),
    path(
        "performance/actions/<int:improvement_action_id>/",
        plan_views.action_view,
        name="action_show",
    ),
    path(
        "performance/cabinet/<int:cabinet_id>/",
        plan_views.cabinet_report_view,
        name="cabinet_report",
    ),
    path(
        "performance/cabinet/<int:cabinet_id>/report.pdf",
        plan_views.cabinet_pdf_view,
        name="cabinet_pdf",
    ),
]
