from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from diogelu.api import conference_views as cv
from diogelu.api import mash_views, views

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
    # The MASH workflow
    path("reports/", mash_views.ReportListView.as_view(), name="report_list"),
    path("reports/<int:report_id>/", mash_views.ReportDetailView.as_view(), name="report_detail"),
    path(
        "reports/<int:report_id>/submit/",
        mash_views.ReportSubmitView.as_view(),
        name="report_submit",
    ),
    path(
        "reports/<int:report_id>/candidates/",
        mash_views.ReportCandidatesView.as_view(),
        name="report_candidates",
    ),
    path(
        "reports/<int:report_id>/children/<int:child_id>/link/",
        mash_views.LinkChildView.as_view(),
        name="report_link_child",
    ),
    path(
        "reports/<int:report_id>/requests/",
        mash_views.ReportRequestsView.as_view(),
        name="report_requests",
    ),
    path(
        "reports/<int:report_id>/decision/",
        mash_views.DecisionView.as_view(),
        name="report_decision",
    ),
    path(
        "reports/<int:report_id>/decision/authorise/",
        mash_views.AuthoriseDecisionView.as_view(),
        name="report_decision_authorise",
    ),
    path(
        "reports/<int:report_id>/strategy-discussions/",
        mash_views.StrategyDiscussionsView.as_view(),
        name="report_strategy",
    ),
    path(
        "reports/<int:report_id>/close/", mash_views.CloseReportView.as_view(), name="report_close"
    ),
    path("requests/", mash_views.RequestListView.as_view(), name="request_list"),
    path(
        "requests/<int:request_id>/", mash_views.RequestDetailView.as_view(), name="request_detail"
    ),
    path(
        "requests/<int:request_id>/answer/",
        mash_views.AnswerRequestView.as_view(),
        name="request_answer",
    ),
    path(
        "requests/<int:request_id>/cancel/",
        mash_views.CancelRequestView.as_view(),
        name="request_cancel",
    ),
    path(
        "enquiries/<int:enquiry_id>/", mash_views.EnquiryDetailView.as_view(), name="enquiry_detail"
    ),
    path(
        "enquiries/<int:enquiry_id>/child-seen/",
        mash_views.ChildSeenView.as_view(),
        name="enquiry_child_seen",
    ),
    path(
        "enquiries/<int:enquiry_id>/determination/",
        mash_views.DeterminationView.as_view(),
        name="enquiry_determination",
    ),
    path(
        "enquiries/<int:enquiry_id>/ratify/",
        mash_views.RatifyView.as_view(),
        name="enquiry_ratify",
    ),
    path("outcomes/", mash_views.OutcomeListView.as_view(), name="outcome_list"),
    path(
        "outcomes/<int:outcome_id>/", mash_views.OutcomeDetailView.as_view(), name="outcome_detail"
    ),
    path(
        "outcomes/<int:outcome_id>/acknowledge/",
        mash_views.AcknowledgeOutcomeView.as_view(),
        name="outcome_acknowledge",
    ),
    # Conferences, the register and care and support protection plans
    path(
        "enquiries/<int:enquiry_id>/conference/",
        cv.ConveneConferenceView.as_view(),
        name="conference_convene",
    ),
    path(
        "people/<int:person_id>/conferences/",
        cv.PersonConferencesView.as_view(),
        name="person_conferences",
    ),
    path(
        "people/<int:person_id>/transfer-in/",
        cv.ConveneTransferInView.as_view(),
        name="conference_transfer_in",
    ),
    path(
        "people/<int:person_id>/register/",
        cv.PersonRegisterView.as_view(),
        name="person_register",
    ),
    path(
        "conferences/<int:conference_id>/",
        cv.ConferenceDetailView.as_view(),
        name="conference_detail",
    ),
    path(
        "conferences/<int:conference_id>/invitations/",
        cv.InviteView.as_view(),
        name="conference_invite",
    ),
    path(
        "conferences/invitations/<int:invitation_id>/attendance/",
        cv.AttendanceView.as_view(),
        name="conference_attendance",
    ),
    path(
        "conferences/invitations/<int:invitation_id>/report/",
        cv.AgencyReportView.as_view(),
        name="conference_report",
    ),
    path(
        "conferences/<int:conference_id>/held/",
        cv.HoldConferenceView.as_view(),
        name="conference_hold",
    ),
    path(
        "conferences/<int:conference_id>/circulate/",
        cv.CirculateView.as_view(),
        name="conference_circulate",
    ),
    path(
        "conferences/records/<int:circulation_id>/",
        cv.RecordView.as_view(),
        name="conference_record",
    ),
    path(
        "conferences/records/<int:circulation_id>/acknowledge/",
        cv.AcknowledgeRecordView.as_view(),
        name="conference_acknowledge",
    ),
    path("register/check/", cv.RegisterCheckView.as_view(), name="register_check"),
    path("plans/<int:plan_id>/", cv.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<int:plan_id>/review/", cv.ConveneReviewView.as_view(), name="conference_review"),
    path("plans/<int:plan_id>/versions/", cv.PlanVersionsView.as_view(), name="plan_versions"),
    path(
        "plans/<int:plan_id>/versions/<int:version_id>/",
        cv.PlanVersionView.as_view(),
        name="plan_version",
    ),
    path(
        "plans/<int:plan_id>/versions/<int:version_id>/quality/",
        cv.PlanQualityView.as_view(),
        name="plan_quality",
    ),
    path(
        "plans/<int:plan_id>/versions/<int:version_id>/publish/",
        cv.PublishPlanView.as_view(),
        name="plan_publish",
    ),
    path("plans/<int:plan_id>/core-groups/", cv.CoreGroupView.as_view(), name="plan_core_groups"),
    path("plans/<int:plan_id>/visits/", cv.VisitsView.as_view(), name="plan_visits"),
    path("plans/<int:plan_id>/visits/due/", cv.VisitsDueView.as_view(), name="plan_visits_due"),
    path("", include("diogelu.measures.api.urls")),
]
