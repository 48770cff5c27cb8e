from django.urls import path

from diogelu.sharing import views

urlpatterns = [
    path("requests/", views.request_queue_view, name="request_queue"),
    path("requests/<int:pk>/", views.show_request_view, name="show_request"),
    path("requests/<int:pk>/amend/", views.amend_answer_view, name="amend_answer"),
    path("outcomes/", views.outcome_list_view, name="outcome_list"),
    path("outcomes/<int:pk>/", views.show_outcome_view, name="show_outcome"),
    path(
        "outcomes/<int:pk>/acknowledge/",
        views.acknowledge_outcome_view,
        name="acknowledge_outcome",
    ),
    path("mash/", views.mash_dashboard_view, name="mash_dashboard"),
    path("mash/disclosures/", views.disclosure_log_view, name="disclosure_log"),
]
