"""The accounts app's routes under ``/api/v1/`` (URL names in the ``v1`` namespace)."""

from django.urls import path

from diogelu.accounts.api import views

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
]
