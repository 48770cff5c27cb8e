from django.urls import path

from diogelu.notifications import views

urlpatterns = [
    path("notifications/read-all/", views.mark_all_read_view, name="inbox_read_all"),
    path("notifications/<int:pk>/read/", views.mark_read_view, name="inbox_read"),
]
