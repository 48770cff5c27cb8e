from django.urls import path

from diogelu.audit.api import views

urlpatterns = [
    path("audit-programmes/", views.ProgrammeListView.as_view(), name="api_audit_programmes"),
    path(
        "audit-programmes/<int:programme_id>/",
        views.ProgrammeView.as_view(),
        name="api_audit_programme",
    ),
    path(
        "audit-programmes/<int:programme_id>/report/",
        views.ReportView.as_view(),
        name="api_audit_report",
    ),
    path("audits/", views.AuditListView.as_view(), name="api_audits"),
    path("audits/<int:audit_id>/", views.AuditView.as_view(), name="api_audit"),
    path("audit-actions/", views.ActionListView.as_view(), name="api_audit_actions"),
]
