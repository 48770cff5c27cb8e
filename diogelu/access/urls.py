from django.urls import path

from diogelu.access import views

urlpatterns = [
    path("emergency-access/", views.break_glass_view, name="break_glass"),
    path("emergency-access/review/", views.break_glass_review_view, name="break_glass_review"),
    path(
        "emergency-access/review/<int:access_id>/",
        views.review_break_glass_view,
        name="review_break_glass",
    ),
]
