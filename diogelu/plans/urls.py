from django.urls import path

from diogelu.plans import document_views, register_views, views

urlpatterns = [
    path("plans/<int:pk>/", views.show_plan_view, name="show_plan"),
    path("plans/<int:pk>/start/", views.start_plan_view, name="start_plan"),
    path("plans/<int:pk>/edit/", views.edit_plan_view, name="edit_plan"),
    path("plans/<int:pk>/publish/", views.publish_plan_view, name="publish_plan"),
    path("plans/<int:pk>/visits/add/", views.record_visit_view, name="record_visit"),
    path("plans/<int:pk>/core-groups/add/", views.record_core_group_view, name="record_core_group"),
    path("plans/<int:pk>/review/", register_views.convene_review_view, name="convene_review"),
    path("plans/<int:pk>/end/", register_views.end_registration_view, name="end_registration"),
    path(
        "plans/<int:pk>/family-copy.pdf",
        document_views.family_copy_pdf_view,
        name="plan_family_copy_pdf",
    ),
]
