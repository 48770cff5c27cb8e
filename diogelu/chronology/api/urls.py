"""The chronology app's routes under ``/api/v1/`` (URL names in the ``v1`` namespace)."""

from django.urls import path

from diogelu.chronology.api import views

urlpatterns = [
    path(
        "people/<int:person_id>/chronology/",
        views.PersonChronologyView.as_view(),
        name="person_chronology",
    ),
]
