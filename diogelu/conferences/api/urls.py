"""The conferences app's routes under ``/api/v1/`` (URL names in the ``v1`` namespace)."""

from django.urls import path

from diogelu.conferences.api import views

urlpatterns = [
    path("conferences/invitations/", views.InvitationListView.as_view(), name="invitation_list"),
    path("conferences/records/", views.RecordListView.as_view(), name="record_list"),
    path(
        "enquiries/<int:enquiry_id>/conference/",
        views.ConveneConferenceView.as_view(),
        name="conference_convene",
    ),
    path(
        "people/<int:person_id>/conferences/",
        views.PersonConferencesView.as_view(),
        name="person_conferences",
    ),
    path(
        "people/<int:person_id>/transfer-in/",
        views.ConveneTransferInView.as_view(),
        name="conference_transfer_in",
    ),
    path(
        "conferences/<int:conference_id>/",
        views.ConferenceDetailView.as_view(),
        name="conference_detail",
    ),
    path(
        "conferences/<int:conference_id>/invitations/",
        views.InviteView.as_view(),
        name="conference_invite",
    ),
    path(
        "conferences/<int:conference_id>/invitations/agencies/",
        views.InviteAgenciesView.as_view(),
        name="conference_invite_many",
    ),
    path(
        "conferences/<int:conference_id>/attendance/",
        views.AttendanceAllView.as_view(),
        name="conference_attendance_all",
    ),
    path(
        "conferences/invitations/<int:invitation_id>/attendance/",
        views.AttendanceView.as_view(),
        name="conference_attendance",
    ),
    path(
        "conferences/invitations/<int:invitation_id>/report/",
        views.AgencyReportView.as_view(),
        name="conference_report",
    ),
    path(
        "conferences/<int:conference_id>/held/",
        views.HoldConferenceView.as_view(),
        name="conference_hold",
    ),
    path(
        "conferences/<int:conference_id>/circulate/",
        views.CirculateView.as_view(),
        name="conference_circulate",
    ),
    path(
        "conferences/records/<int:circulation_id>/",
        views.RecordView.as_view(),
        name="conference_record",
    ),
    path(
        "conferences/records/<int:circulation_id>/acknowledge/",
        views.AcknowledgeRecordView.as_view(),
        name="conference_acknowledge",
    ),
    path("register/check/", views.RegisterCheckView.as_view(), name="register_check"),
]
