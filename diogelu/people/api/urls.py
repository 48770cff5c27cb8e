"""The people app's routes under ``/api/v1/`` (URL names in the ``v1`` namespace)."""

from django.urls import path

from diogelu.people.api import views

urlpatterns = [
    path("people/", views.PersonListView.as_view(), name="person_list"),
    path("people/search/", views.PersonSearchView.as_view(), name="person_search"),
    path("people/<int:person_id>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("people/<int:person_id>/family/", views.PersonFamilyView.as_view(), name="person_family"),
]
