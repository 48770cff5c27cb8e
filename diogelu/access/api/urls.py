"""The access app's routes under ``/api/v1/`` (URL names in the ``v1`` namespace): whom the
caller may name."""

from django.urls import path

from diogelu.access.api import views

urlpatterns = [
    path("agencies/", views.AgencyListView.as_view(), name="agency_list_api"),
    path("users/", views.UserListView.as_view(), name="user_list_api"),
]
