from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from diogelu.api import views

app_name = "v1"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("me/", views.MeView.as_view(), name="me"),
    path("people/", views.PersonListView.as_view(), name="person_list"),
    path("people/search/", views.PersonSearchView.as_view(), name="person_search"),
    path("people/<int:person_id>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("people/<int:person_id>/family/", views.PersonFamilyView.as_view(), name="person_family"),
    path(
        "people/<int:person_id>/chronology/",
        views.PersonChronologyView.as_view(),
        name="person_chronology",
    ),
]
