from django.urls import path

from diogelu.conferences import document_views, views

urlpatterns = [
    path("conferences/<int:pk>/", views.show_conference_view, name="show_conference"),
    path(
        "enquiries/<int:pk>/conference/",
        views.convene_conference_view,
        name="convene_conference",
    ),
    path("conferences/<int:pk>/invite/", views.invite_view, name="conference_invite"),
    path(
        "conferences/invitations/<int:pk>/attendance/",
        views.attendance_view,
        name="conference_attendance",
    ),
    path(
        "conferences/invitations/<int:pk>/report/",
        views.report_view,
        name="conference_report",
    ),
    path("conferences/<int:pk>/held/", views.hold_conference_view, name="hold_conference"),
    path("conferences/<int:pk>/circulate/", views.circulate_view, name="circulate_record"),
    path("conferences/records/<int:pk>/", views.acknowledge_view, name="acknowledge_record"),
    path("register/check/", views.register_check_view, name="register_check"),
    path(
        "people/<int:person_id>/transfer-in/",
        views.convene_transfer_in_view,
        name="convene_transfer_in",
    ),
    path(
        "conferences/<int:pk>/record.pdf",
        document_views.record_pdf_view,
        name="conference_record_pdf",
    ),
]
