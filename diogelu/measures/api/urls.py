from django.urls import path

from diogelu.measures.api import views

urlpatterns = [
    path("measures/", views.MeasureListView.as_view(), name="measures_list"),
    path("measures/<slug:measure>/", views.MeasureValuesView.as_view(), name="measures_values"),
    path("measures/<slug:measure>/rows/", views.MeasureRowsView.as_view(), name="measures_rows"),
]
