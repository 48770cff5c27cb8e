from django.urls import path

from diogelu.audit import views

urlpatterns = [
    path("audits/", views.home_view, name="audit_home"),
    path("audits/programmes/new/", views.programme_new_view, name="audit_programme_new"),
    path("audits/programmes/<int:programme_id>/", views.programme_view, name="audit_programme"),
    path("audits/programmes/<int:programme_id>/add/", views.add_file_view, name="audit_add_file"),
    path(
        "audits/programmes/<int:programme_id>/complete/",
        views.programme_complete_view,
        name="audit_programme_complete",
    ),
    path("audits/programmes/<int:programme_id>/report/", views.report_view, name="audit_report"),
    path(
        "audits/programmes/<int:programme_id>/report.pdf",
        views.report_pdf_view,
        name="audit_report_pdf",
    ),
    path("audits/<int:audit_id>/", views.audit_view, name="audit_show"),
    path("audits/<int:audit_id>/grade/", views.audit_grade_view, name="audit_grade"),
    path("audits/<int:audit_id>/family/", views.family_view, name="audit_family"),
    path("audits/<int:audit_id>/moderate/", views.moderate_view, name="audit_moderate"),
    path("audits/<int:audit_id>/actions/new/", views.action_new_view, name="audit_action_new"),
    path("audits/<int:audit_id>/evidence/", views.evidence_view, name="audit_evidence"),
    path("audits/<int:audit_id>/auditor/", views.assign_view, name="audit_assign"),
    path(
        "audits/actions/<int:audit_action_id>/done/",
        views.action_done_view,
        name="audit_action_done",
    ),
]
