from django.urls import path

from diogelu.measures import views

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
]
