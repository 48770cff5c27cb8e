from django.urls import path

from diogelu.enquiries import views

urlpatterns = [
    path(
        "mash/reports/<int:pk>/strategy/add/",
        views.record_strategy_view,
        name="record_strategy",
    ),
    path("strategy/<int:pk>/", views.show_strategy_view, name="show_strategy"),
    path("enquiries/<int:pk>/", views.show_enquiry_view, name="show_enquiry"),
    path(
        "enquiries/<int:pk>/child-seen/",
        views.enquiry_child_seen_view,
        name="enquiry_child_seen",
    ),
    path(
        "enquiries/<int:pk>/determination/",
        views.enquiry_determination_view,
        name="enquiry_determination",
    ),
    path("enquiries/<int:pk>/ratify/", views.enquiry_ratify_view, name="enquiry_ratify"),
    path("enquiries/<int:pk>/return/", views.enquiry_return_view, name="enquiry_return"),
]
