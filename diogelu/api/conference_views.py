"""``/api/v1/``: child protection conferences, the register and care and support protection plans.

Convening (initial or pre-birth from a determination-3 enquiry, review from the plan, transfer-in
from the child), invitations, attendance, agency reports, holding with a decision per child,
circulating the record and acknowledging it; the CP-IS-style register check and a child's register
episodes; plan versions (draft, edit with the expected version, quality preview, publish), core
group meetings, visits and the visits due.

Views are thin, as in ``mash_views``: records are fetched only through the access functions of
``conferences.access``, ``plans.access``, ``enquiries.access`` and ``access.services`` (404 alike
for missing and not allowed; each read logged on the API channel); input is checked at the edge;
every change is one service call, whose domain errors become problem+json naming the field (400,
403 or 409). Every POST (and the PUT of a plan version) honours ``Idempotency-Key``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from drf_spectacular.utils import (
    OpenApiExample,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from diogelu.access.models import Channel, Part
from diogelu.access.services import access_person
from diogelu.accounts.models import Agency, User
from diogelu.api import conference_serializers as s
from diogelu.api import mash_access
from diogelu.api.authentication import actor
from diogelu.api.idempotency import idempotent
from diogelu.api.mash_views import (
    BAD,
    IDEMPOTENCY_KEY,
    NOT_FOUND,
    POST_ERRORS,
    _post_schema,
    _valid,
)
from diogelu.conferences import access
from diogelu.conferences import services as conferences
from diogelu.conferences.models import Conference, ConferenceStatus, Invitation
from diogelu.core.exceptions import DomainError
from diogelu.people.models import Person
from diogelu.plans import services as plans
from diogelu.plans.access import access_plan
from diogelu.plans.due import core_group_due, review_due, visits_due
from diogelu.plans.models import Plan, PlanVersion
from diogelu.plans.quality import plan_quality
from diogelu.procedures import timeliness

API = Channel.API

# --- Fetching, through the access functions only -------------------------------------------------


def _is_staff(user: User, authority_id: int) -> bool:
    """The authority's social work staff and conference chairs (who run its conferences)."""
    return access.is_conference_staff(user) and user.agency_id == authority_id


def _staff_conference(user: User, conference_id: int, request: Request, route: str) -> Conference:
    return access.access_conference(
        user, conference_id, route=route, request=request._request, channel=API
    )


def _plan(user: User, plan_id: int, request: Request, route: str, *, staff: bool = False) -> Plan:
    """A plan the user may read (staff: one they may change), or 404."""
    plan = access_plan(user, plan_id, route=route, request=request._request, channel=API)
    if staff and not _is_staff(user, plan.episode.authority_id):
        raise Http404
    return plan


def _version(plan: Plan, version_id: int, *, staff: bool) -> PlanVersion:
    """A version of the plan: published ones for every reader, the draft for staff only."""
    version = plan.versions.filter(pk=version_id).first()
    if version is None or (not version.is_published and not staff):
        raise Http404
    return version


def _person(user: User, person_id: int, request: Request, route: str) -> Person:
    return access_person(
        user, person_id, part=Part.SUMMARY, channel=API, route=route, request=request._request
    ).person


def _users(ids: set[int | None]) -> dict[int, User]:
    wanted = {i for i in ids if i}
    return {u.pk: u for u in User.objects.filter(pk__in=wanted, is_active=True)}


def _agencies(ids: set[int | None]) -> dict[int, Agency]:
    wanted = {i for i in ids if i}
    return {a.pk: a for a in Agency.objects.filter(pk__in=wanted, is_active=True)}


def _people(user: User, ids: set[int | None]) -> dict[int, Person]:
    wanted = {i for i in ids if i}
    return {p.pk: p for p in Person.objects.visible_to(user).filter(pk__in=wanted)}


# --- Conferences ---------------------------------------------------------------------------------


def _quorum(conference: Conference) -> dict[str, Any]:
    """The quorum as held (stored), or as it stands from the attendance recorded so far."""
    if conference.status == ConferenceStatus.HELD:
        groups = conference.quorum_groups or 0
        return {
            "groups": groups,
            "is_quorate": bool(conference.is_quorate),
            "needs_chair_reason": bool(conference.quorum_reason),
            "message": "",
            "chair_reason": conference.quorum_reason,
        }
    check = conferences.quorum_for(conference, chair_reason=conference.quorum_reason)
    return {
        "groups": check.groups,
        "is_quorate": check.is_quorate,
        "needs_chair_reason": check.needs_chair_reason,
        "message": check.message,
        "chair_reason": conference.quorum_reason,
    }


def _staff_data(conference: Conference) -> Any:
    return s.ConferenceSerializer(conference, context={"quorum": _quorum(conference)}).data


def _conference_response(conference: Conference, *, status: int = 200) -> Response:
    return Response(_staff_data(conference), status=status)


CONFERENCE_VIEW = PolymorphicProxySerializer(
    component_name="ConferenceView",
    serializers={
        "STAFF": s.ConferenceSerializer,
        "INVITEE": s.ConferenceInviteeSerializer,
    },
    resource_type_field_name="view",
)


class PersonConferencesView(APIView):
    @extend_schema(
        summary="A child's conferences (the authority's social work staff)",
        description="Every conference about the child, newest first, with when it was due "
        "(and under which rule), booked and held. Invitees see their own part of a conference "
        "at `GET /conferences/{id}/`.",
        responses={200: s.ConferenceSummarySerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, person_id: int) -> Response:
        user = actor(request)
        person = _person(user, person_id, request, "api:person_conferences")
        if not _is_staff(user, person.authority_id):
            raise Http404
        found = access.visible_conferences(user).filter(children__person=person)
        return Response(
            s.ConferenceSummarySerializer(found.order_by("-created_at", "-pk"), many=True).data
        )


class ConferenceDetailView(APIView):
    @extend_schema(
        summary="A conference: the whole of it for staff, your own part for an invitee",
        description="Staff (`view: STAFF`): the children and the decision for each, every "
        "invitation with attendance and whether the agency's report is in, the quorum, and the "
        "circulation of the record with each acknowledgement. An invitee (`view: INVITEE`): "
        "their own invitations (and report) and the copies of the record sent to them.",
        responses={200: CONFERENCE_VIEW, 404: NOT_FOUND},
    )
    def get(self, request: Request, conference_id: int) -> Response:
        user = actor(request)
        route = "api:conference_detail"
        if (
            access.is_conference_staff(user)
            and access.visible_conferences(user).filter(pk=conference_id).exists()
        ):
            return _conference_response(_staff_conference(user, conference_id, request, route))
        conference = access.access_conference_as_invitee(
            user, conference_id, route=route, request=request._request, channel=API
        )
        context = {
            "invitations": access.my_invitations(user, conference),
            "circulations": access.my_circulations(user, conference),
        }
        return Response(s.ConferenceInviteeSerializer(conference, context=context).data)


class ConveneConferenceView(APIView):
    @_post_schema(
        summary="Convene the initial (or pre-birth) conference from a determination-3 enquiry",
        description="Due within `icpc.convene` of the last strategy discussion. Once per "
        "enquiry; the enquiry must have ended in determination 3.",
        request=s.ConveneInputSerializer,
        response=s.ConferenceSerializer,
        status=201,
        examples=[
            OpenApiExample(
                "Booked",
                value={"kind": "INITIAL", "scheduled_for": "2026-01-19T10:00:00Z"},
                request_only=True,
            )
        ],
    )
    @idempotent
    def post(self, request: Request, enquiry_id: int) -> Response:
        user = actor(request)
        enquiry = mash_access.access_enquiry(user, enquiry_id)
        if not access.is_conference_staff(user):
            raise Http404
        mash_access.log_reads(
            user, [enquiry.person_id], route="api:conference_convene", request=request
        )
        data = _valid(s.ConveneInputSerializer, request)
        conference = conferences.convene_conference(
            actor=user,
            enquiries=[enquiry],
            kind=data["kind"],
            scheduled_for=data.get("scheduled_for"),
        )
        return _conference_response(conference, status=201)


class ConveneReviewView(APIView):
    @_post_schema(
        summary="Convene the review conference of a registered child, from the child's plan",
        description="Due `review.first` after the registering conference, then "
        "`review.interval` after the last review held.",
        request=s.ReviewConveneInputSerializer,
        response=s.ConferenceSerializer,
        status=201,
    )
    @idempotent
    def post(self, request: Request, plan_id: int) -> Response:
        user = actor(request)
        plan = _plan(user, plan_id, request, "api:conference_review", staff=True)
        data = _valid(s.ReviewConveneInputSerializer, request)
        conference = conferences.convene_review_conference(
            actor=user, episodes=[plan.episode], scheduled_for=data.get("scheduled_for")
        )
        return _conference_response(conference, status=201)


class ConveneTransferInView(APIView):
    @_post_schema(
        summary="Convene the transfer-in conference of a child who moved here on another "
        "authority's register",
        description="Due within `transfer_in.conference` of `notified_at`.",
        request=s.TransferInInputSerializer,
        response=s.ConferenceSerializer,
        status=201,
    )
    @idempotent
    def post(self, request: Request, person_id: int) -> Response:
        user = actor(request)
        person = _person(user, person_id, request, "api:conference_transfer_in")
        if not _is_staff(user, person.authority_id):
            raise Http404
        data = _valid(s.TransferInInputSerializer, request)
        conference = conferences.convene_transfer_in_conference(
            actor=user,
            people=[person],
            notified_at=data["notified_at"],
            scheduled_for=data.get("scheduled_for"),
            from_authority=data.get("from_authority", ""),
        )
        return _conference_response(conference, status=201)


class InviteView(APIView):
    @_post_schema(
        summary="Invite an agency (optionally a named practitioner), a family member or the child",
        description="An invited partner agency may see the child's summary and chronology until "
        "its involvement ends, and is told. Inviting the child records the active offer of an "
        "advocate (`advocacy_offered`, `advocacy_accepted`).",
        request=s.InviteInputSerializer,
        response=s.InvitationSerializer,
        status=201,
        examples=[
            OpenApiExample(
                "A named police officer",
                value={"invitee_kind": "AGENCY", "agency_id": 3, "user_id": 17},
                request_only=True,
            ),
            OpenApiExample(
                "The child, with an advocate",
                value={
                    "invitee_kind": "CHILD",
                    "person_id": 1044,
                    "advocacy_offered": True,
                    "advocacy_accepted": True,
                },
                request_only=True,
            ),
        ],
    )
    @idempotent
    def post(self, request: Request, conference_id: int) -> Response:
        user = actor(request)
        conference = _staff_conference(user, conference_id, request, "api:conference_invite")
        data = _valid(s.InviteInputSerializer, request)
        errors: dict[str, list[str]] = {}
        agency = user_ = person = None
        if data.get("agency_id"):
            agency = _agencies({data["agency_id"]}).get(data["agency_id"])
            if agency is None:
                errors["agency_id"] = [_("Choose the agency")]
        if data.get("user_id"):
            user_ = _users({data["user_id"]}).get(data["user_id"])
            if user_ is None:
                errors["user_id"] = [_("Choose the practitioner")]
        if data.get("person_id"):
            person = _people(user, {data["person_id"]}).get(data["person_id"])
            if person is None:
                errors["person_id"] = [_("Choose a child or family member")]
        if errors:
            raise ValidationError(errors)
        invitation = conferences.invite(
            actor=user,
            conference=conference,
            invitee_kind=data["invitee_kind"],
            agency=agency,
            user=user_,
            person=person,
            name=data.get("name", ""),
            professional_group=data.get("professional_group", ""),
            advocacy_offered=data["advocacy_offered"],
            advocacy_accepted=data.get("advocacy_accepted"),
        )
        return Response(s.InvitationSerializer(invitation).data, status=201)


class AttendanceView(APIView):
    @_post_schema(
        summary="Record whether an invitee attended, sent apologies or did not attend",
        description="Every invitee's attendance is recorded before the conference is held; the "
        "quorum counts the agencies and professional groups that attended.",
        request=s.AttendanceInputSerializer,
        response=s.InvitationSerializer,
    )
    @idempotent
    def post(self, request: Request, invitation_id: int) -> Response:
        user = actor(request)
        invitation = access.access_invitation(
            user,
            invitation_id,
            route="api:conference_attendance",
            request=request._request,
            channel=API,
        )
        data = _valid(s.AttendanceInputSerializer, request)
        invitation = conferences.record_attendance(
            actor=user, invitation=invitation, attendance=data["attendance"]
        )
        return Response(s.InvitationSerializer(invitation).data)


class AgencyReportView(APIView):
    @_post_schema(
        summary="Submit your agency's report for the conference (again replaces it)",
        description="By the invited agency's own user (the named practitioner, or a worker of "
        "the invited agency); anyone else gets 404. Only before the conference is held.",
        request=s.AgencyReportInputSerializer,
        response=s.OwnInvitationSerializer,
    )
    @idempotent
    def post(self, request: Request, invitation_id: int) -> Response:
        user = actor(request)
        invitation: Invitation = access.access_own_invitation(
            user,
            invitation_id,
            route="api:conference_report",
            request=request._request,
            channel=API,
        )
        data = _valid(s.AgencyReportInputSerializer, request)
        invitation = conferences.submit_agency_report(
            actor=user, invitation=invitation, text=data["text"]
        )
        return Response(s.OwnInvitationSerializer(invitation).data)


def _core_group(
    user: User,
    conference: Conference,
    members: Sequence[dict[str, Any]],
    index: int,
    errors: dict[str, Any],
) -> list[dict[str, Any]]:
    """Core group members as the service takes them; unknown ids go into ``errors``."""
    invitations = {i.pk: i for i in conference.invitations.select_related("agency", "user")}
    users = _users({m.get("user_id") for m in members})
    agencies = _agencies({m.get("agency_id") for m in members})
    people = _people(user, {m.get("person_id") for m in members})
    out: list[dict[str, Any]] = []
    for position, m in enumerate(members):
        problems: dict[str, list[str]] = {}
        invitation = invitations.get(m.get("invitation_id") or 0)
        if m.get("invitation_id") and invitation is None:
            problems["invitation_id"] = [_("Choose an invitation of this conference")]
        for key, found, message in (
            ("user_id", users, _("Choose the practitioner")),
            ("agency_id", agencies, _("Choose the agency")),
            ("person_id", people, _("Choose a family member")),
        ):
            if m.get(key) and m[key] not in found:
                problems[key] = [message]
        if problems:
            errors.setdefault(str(index), {}).setdefault("core_group", {})[str(position)] = problems
            continue
        member = {
            "user": users.get(m.get("user_id") or 0),
            "agency": agencies.get(m.get("agency_id") or 0),
            "person": people.get(m.get("person_id") or 0),
            "name": m.get("name", ""),
            "role": m.get("role", ""),
        }
        if invitation is not None:
            member = {
                "user": member["user"] or invitation.user,
                "agency": member["agency"] or invitation.agency,
                "person": member["person"] or invitation.person,
                "name": member["name"] or invitation.name,
                "role": member["role"] or invitation.professional_group,
            }
        out.append(member)
    return out


class HoldConferenceView(APIView):
    @_post_schema(
        summary="Record the conference held: chair, quorum, and a decision for each child",
        description="Every invitee's attendance must be recorded. Quorate with three agencies or "
        "professional groups (two only with the chair's `quorum_reason`). Each child needs their "
        "views and how they were obtained, and reasons; registering needs at least one category, "
        "the lead practitioner, the core group, the first core group by `core_group.first`, the "
        "review by `review.first` (`review.interval` at a review) and a contingency plan. At a "
        "review, `register: false` removes the child (reasons with the evidence of change). A "
        "refusal names the field (a child's field under `decisions` → its position) and records "
        "nothing.",
        request=s.HoldInputSerializer,
        response=s.ConferenceSerializer,
    )
    @idempotent
    def post(self, request: Request, conference_id: int) -> Response:
        user = actor(request)
        conference = _staff_conference(user, conference_id, request, "api:conference_hold")
        data = _valid(s.HoldInputSerializer, request)
        children = {c.person_id: c for c in conference.children.all()}
        leads = _users({d.get("lead_practitioner_id") for d in data["decisions"]})
        chair = _users({data["chair_id"]}).get(data["chair_id"])
        errors: dict[str, Any] = {}
        decision_errors: dict[str, Any] = {}
        if chair is None:
            errors["chair_id"] = [_("Choose the chair")]
        decisions = []
        for index, d in enumerate(data["decisions"]):
            child = children.get(d["person_id"])
            if child is None:
                decision_errors.setdefault(str(index), {})["person_id"] = [
                    _("Choose a child the conference is about")
                ]
            lead_id = d.get("lead_practitioner_id")
            if lead_id and lead_id not in leads:
                decision_errors.setdefault(str(index), {})["lead_practitioner_id"] = [
                    _("Name the lead practitioner, a social worker of the authority")
                ]
            members = _core_group(
                user, conference, d.get("core_group") or [], index, decision_errors
            )
            decisions.append(
                {
                    "child": child,
                    "child_views": d.get("child_views", ""),
                    "views_method": d["views_method"],
                    "parents_views": d.get("parents_views", ""),
                    "register": d["register"],
                    "categories": list(d.get("categories") or []),
                    "reasons": d.get("reasons", ""),
                    "progress": d.get("progress", ""),
                    "lead_practitioner": leads.get(lead_id or 0),
                    "core_group": members,
                    "first_core_group_on": d.get("first_core_group_on"),
                    "review_on": d.get("review_on"),
                    "contingency_plan": d.get("contingency_plan", ""),
                    "dissent": d.get("dissent", ""),
                    "decided_by_chair": d["decided_by_chair"],
                }
            )
        if decision_errors:
            errors["decisions"] = decision_errors
        if errors:
            raise ValidationError(errors)
        assert chair is not None
        try:
            conference = conferences.hold_conference(
                actor=user,
                conference=conference,
                held_at=data["held_at"],
                chair=chair,
                decisions=decisions,
                quorum_reason=data.get("quorum_reason", ""),
                summary=data.get("summary", ""),
            )
        except DomainError as exc:
            raise _for_child(exc, decisions) from None
        return _conference_response(conference)


def _for_child(exc: DomainError, decisions: Sequence[dict[str, Any]]) -> Exception:
    """A refusal about one child's decision, named under ``decisions`` by its position."""
    item = getattr(exc, "item", None)
    if exc.status_code != 400 or item is None or not exc.field:
        return exc
    for index, d in enumerate(decisions):
        if d["child"] is not None and d["child"].pk == getattr(item, "pk", None):
            return ValidationError({"decisions": {str(index): {exc.field: [exc.message]}}})
    return exc


class CirculateView(APIView):
    @_post_schema(
        summary="Circulate the record and outline plan to every invitee and core group member",
        description="Due within `icpc.circulate_record` of the conference; each recipient "
        "acknowledges. Circulating again sends only to recipients added since (`sent` lists the "
        "copies this call sent). Each sharing with a partner is written to the disclosure log.",
        request=None,
        response=s.CirculateResultSerializer,
    )
    @idempotent
    def post(self, request: Request, conference_id: int) -> Response:
        user = actor(request)
        conference = _staff_conference(user, conference_id, request, "api:conference_circulate")
        sent = conferences.circulate_record(actor=user, conference=conference)
        conference.refresh_from_db()
        return Response(
            {
                "sent": s.CirculationSerializer(sent, many=True).data,
                "conference": _staff_data(conference),
            }
        )


class RecordView(APIView):
    @extend_schema(
        summary="The conference record sent to you (or your agency), to read and acknowledge",
        responses={200: s.ConferenceRecordSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, circulation_id: int) -> Response:
        user = actor(request)
        circulation = access.access_circulation(
            user,
            circulation_id,
            route="api:conference_record",
            request=request._request,
            channel=API,
        )
        return Response(s.ConferenceRecordSerializer(circulation).data)


class AcknowledgeRecordView(APIView):
    @_post_schema(
        summary="Acknowledge the conference record (again changes nothing)",
        description="By its recipient, a colleague at the recipient agency, or (for a family "
        "member) the authority's social services acting for them.",
        request=None,
        response=s.ConferenceRecordSerializer,
    )
    @idempotent
    def post(self, request: Request, circulation_id: int) -> Response:
        user = actor(request)
        circulation = access.access_circulation(
            user,
            circulation_id,
            route="api:conference_acknowledge",
            request=request._request,
            channel=API,
        )
        circulation = conferences.acknowledge_record(actor=user, circulation=circulation)
        return Response(s.ConferenceRecordSerializer(circulation).data)


# --- The register --------------------------------------------------------------------------------


@method_decorator(sensitive_post_parameters(), name="dispatch")
class RegisterCheckView(APIView):
    @_post_schema(
        summary="Is this child on the child protection register? (health and police)",
        description="By NHS number, or exact name and date of birth, within the authorities "
        "your agency works with. The answer is only: on the register or not, since when, and "
        "whom to contact (the lead practitioner). Not found and not on the register look the "
        "same. A matched child's check is written to the access log and the lead practitioner "
        "is told; the check gives no access to the child's record. Anyone else: 404.",
        request=s.RegisterCheckInputSerializer,
        response=s.RegisterAnswerSerializer,
        examples=[
            OpenApiExample(
                "By NHS number",
                value={"reason": "Attending the emergency department", "nhs_number": "9990000018"},
                request_only=True,
            )
        ],
    )
    @idempotent
    def post(self, request: Request) -> Response:
        user = actor(request)
        if not access.may_check_register(user):
            raise Http404
        data = _valid(s.RegisterCheckInputSerializer, request)
        answer = conferences.check_register(
            actor=user,
            reason=data["reason"],
            nhs_number=data.get("nhs_number", ""),
            given_name=data.get("given_name", ""),
            family_name=data.get("family_name", ""),
            date_of_birth=data.get("date_of_birth"),
            channel=API,
        )
        return Response(
            s.RegisterAnswerSerializer(
                {
                    "on_register": answer.on_register,
                    "since": answer.since,
                    "contact_name": answer.contact_name,
                    "contact_phone": answer.contact_phone,
                    "contact_agency": answer.contact_agency,
                }
            ).data
        )


class PersonRegisterView(APIView):
    @extend_schema(
        summary="A child's periods on the register, with the history of their categories",
        description="For the authority's staff (every period) and current core group members "
        "(the period whose plan they may read); everyone else, and a member after the child "
        "leaves the register, gets 404.",
        responses={200: s.PersonRegisterSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, person_id: int) -> Response:
        user = actor(request)
        person = _person(user, person_id, request, "api:person_register")
        found = access.child_protection_for(user, person)
        if found is None:
            raise Http404
        pairs = list(found["episodes"])
        plans_by_episode = {e.pk: p.pk for e, p in pairs if p is not None}
        data = {
            "person_id": person.pk,
            "on_register": found["current"] is not None,
            "episodes": [e for e, _plan in pairs],
        }
        return Response(s.PersonRegisterSerializer(data, context={"plans": plans_by_episode}).data)


# --- Plans ---------------------------------------------------------------------------------------


def _version_data(version: PlanVersion | None) -> Any:
    if version is None:
        return None
    context = {"statuses": plans.latest_action_statuses(version) if version.is_published else {}}
    return s.PlanVersionSerializer(version, context=context).data


def _plan_data(user: User, plan: Plan) -> Any:
    staff = _is_staff(user, plan.episode.authority_id)
    episode = plan.episode
    meetings = episode.core_groups.prefetch_related(
        "attendance", "progress__outcome", "action_updates__action"
    ).order_by("-held_at")
    dues: dict[str, Any] = {"next_review": None, "next_core_group": None}
    if staff and episode.is_open:
        now = timezone.now()
        dues = {
            "next_review": s.due_data(timeliness(review_due(episode), now)),
            "next_core_group": s.due_data(timeliness(core_group_due(episode), now)),
        }
    data = {
        "id": plan.pk,
        "url": f"/api/v1/plans/{plan.pk}/",
        "person_id": plan.person_id,
        "child": plan.person.full_name,
        "may_edit": staff and episode.is_open,
        "episode": s.PlanEpisodeSerializer(episode).data,
        "current": _version_data(plan.current_version()),
        "draft": _version_data(plan.draft()) if staff else None,
        "versions": s.PlanVersionSummarySerializer(
            plan.versions.select_related("published_by").order_by("number"), many=True
        ).data,
        "core_group_meetings": s.CoreGroupMeetingSerializer(
            meetings, many=True, context={"staff": staff}
        ).data,
        **dues,
    }
    return data


class PlanDetailView(APIView):
    @extend_schema(
        summary="A care and support protection plan: the current version and the list of versions",
        description="For the authority's staff and the child's current core group members. "
        "Each action shows its status at the latest core group meeting. Staff also get the open "
        "draft and when the next review and core group are due.",
        responses={200: s.PlanSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, plan_id: int) -> Response:
        user = actor(request)
        plan = _plan(user, plan_id, request, "api:plan_detail")
        return Response(_plan_data(user, plan))


class PlanVersionsView(APIView):
    @_post_schema(
        summary="Start the draft: the open draft, else a copy of the current version, else an "
        "empty version 1",
        description="201 when a draft is made, 200 with the draft already open (one per plan).",
        request=None,
        response=s.PlanVersionSerializer,
        status=201,
    )
    @idempotent
    def post(self, request: Request, plan_id: int) -> Response:
        user = actor(request)
        plan = _plan(user, plan_id, request, "api:plan_draft", staff=True)
        before = plan.draft()
        draft = plans.draft_plan(actor=user, plan=plan)
        made = before is None or before.pk != draft.pk
        return Response(_version_data(draft), status=201 if made else 200)


class PlanVersionView(APIView):
    @extend_schema(
        summary="One version of the plan with its outcomes and actions",
        description="Published versions for every reader of the plan; the draft for staff.",
        responses={200: s.PlanVersionSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, plan_id: int, version_id: int) -> Response:
        user = actor(request)
        plan = _plan(user, plan_id, request, "api:plan_version")
        version = _version(plan, version_id, staff=_is_staff(user, plan.episode.authority_id))
        return Response(_version_data(version))

    @extend_schema(
        summary="Save the plan's content (a draft in place; a published version into a new draft)",
        description="Send the `expected_version` you read: a stale one is 409 and changes "
        "nothing. `outcomes` replace the draft's outcomes. A published version is never changed: "
        "saving it makes a new draft copied from it (201), or is refused (400) while another "
        "draft is open. Honours `Idempotency-Key`.",
        request=s.PlanEditInputSerializer,
        responses={
            200: s.PlanVersionSerializer,
            201: s.PlanVersionSerializer,
            **POST_ERRORS,
        },
        parameters=[IDEMPOTENCY_KEY],
    )
    @idempotent
    def put(self, request: Request, plan_id: int, version_id: int) -> Response:
        user = actor(request)
        plan = _plan(user, plan_id, request, "api:plan_edit", staff=True)
        version = _version(plan, version_id, staff=True)
        data = _valid(s.PlanEditInputSerializer, request)
        saved = plans.edit_plan(
            actor=user,
            version=version,
            expected_version=data["expected_version"],
            child_words=data.get("child_words", ""),
            contingency=data.get("contingency", ""),
            outcomes=_outcomes(data["outcomes"]),
        )
        return Response(_version_data(saved), status=200 if saved.pk == version.pk else 201)


def _outcomes(outcomes: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Outcomes and actions as the service takes them; unknown people or agencies are named by
    position (``outcomes`` → n → ``actions`` → m → field)."""
    actions = [a for o in outcomes for a in o.get("actions") or []]
    users = _users({a.get("responsible_user_id") for a in actions})
    agencies = _agencies({a.get("responsible_agency_id") for a in actions})
    errors: dict[str, Any] = {}
    out = []
    for o_index, o in enumerate(outcomes):
        clean_actions = []
        for a_index, a in enumerate(o.get("actions") or []):
            user_id, agency_id = a.get("responsible_user_id"), a.get("responsible_agency_id")
            problems: dict[str, list[str]] = {}
            if user_id and user_id not in users:
                problems["responsible_user_id"] = [_("Choose the responsible person")]
            if agency_id and agency_id not in agencies:
                problems["responsible_agency_id"] = [_("Choose the responsible agency")]
            if problems:
                errors.setdefault(str(o_index), {}).setdefault("actions", {})[str(a_index)] = (
                    problems
                )
                continue
            clean_actions.append(
                {
                    "description": a["description"],
                    "responsible_name": a.get("responsible_name", ""),
                    "responsible_user": users.get(user_id or 0),
                    "responsible_agency": agencies.get(agency_id or 0),
                    "target_date": a.get("target_date"),
                }
            )
        out.append(
            {
                "what_must_change": o["what_must_change"],
                "measure": o.get("measure", ""),
                "actions": clean_actions,
            }
        )
    if errors:
        raise ValidationError({"outcomes": errors})
    return out


class PlanQualityView(APIView):
    @extend_schema(
        summary="The quality check of the draft: what it is missing, and its score",
        description="Outcomes with a measure and actions; every action with an owner (person and "
        "agency) and a target date; the child's own words; a contingency plan; an action for "
        "every agency named in the core group. Issues do not stop publishing; the score and the "
        "issues are kept on the version when it is published. Staff only; drafts only (a "
        "published version shows the `quality_score` and `quality_issues` it was published with).",
        responses={200: s.QualitySerializer, 400: BAD, 404: NOT_FOUND},
    )
    def get(self, request: Request, plan_id: int, version_id: int) -> Response:
        user = actor(request)
        plan = _plan(user, plan_id, request, "api:plan_quality", staff=True)
        version = _version(plan, version_id, staff=True)
        if version.is_published:
            raise DomainError(
                _("A published version keeps the quality it was published with."),
                field="version_id",
            )
        report = plan_quality(version)
        return Response(
            s.QualitySerializer(
                {
                    "version_id": version.pk,
                    "number": version.number,
                    "score": report.score,
                    "checks": report.checks,
                    "passed": report.passed,
                    "is_complete": report.is_complete,
                    "issues": [i.as_dict() for i in report.issues],
                }
            ).data
        )


class PublishPlanView(APIView):
    @_post_schema(
        summary="Publish the draft (its quality score and issues are kept with it)",
        description="Every core group member is told. An empty plan is refused; a stale "
        "`expected_version` is 409.",
        request=s.PublishInputSerializer,
        response=s.PlanVersionSerializer,
    )
    @idempotent
    def post(self, request: Request, plan_id: int, version_id: int) -> Response:
        user = actor(request)
        plan = _plan(user, plan_id, request, "api:plan_publish", staff=True)
        version = _version(plan, version_id, staff=True)
        data = _valid(s.PublishInputSerializer, request)
        published = plans.publish_plan(
            actor=user, version=version, expected_version=data["expected_version"]
        )
        return Response(_version_data(published))


class CoreGroupView(APIView):
    @_post_schema(
        summary="Record a core group meeting: who came, the child's views, progress and actions",
        description="`attended`: member ids from `GET /people/{id}/register/`. `progress` rates "
        "outcomes and `action_updates` update actions of the current published version. A "
        "denial of access to the child or home tells the lead practitioner and the team "
        "managers. The meeting answers the deadline `core_group.first` (then "
        "`core_group.interval`).",
        request=s.CoreGroupInputSerializer,
        response=s.CoreGroupMeetingSerializer,
        status=201,
    )
    @idempotent
    def post(self, request: Request, plan_id: int) -> Response:
        user = actor(request)
        plan = _plan(user, plan_id, request, "api:plan_core_group", staff=True)
        episode = plan.episode
        data = _valid(s.CoreGroupInputSerializer, request)
        members = {m.pk: m for m in episode.core_group.filter(ended_at__isnull=True)}
        current = plan.current_version()
        outcomes = {o.pk: o for o in current.outcomes.all()} if current else {}
        actions = {a.pk: a for o in outcomes.values() for a in o.actions.all()} if current else {}
        errors: dict[str, Any] = {}
        unknown = [i for i in data["attended"] if i not in members]
        if unknown:
            errors["attended"] = [_("Choose members of this core group")]
        for index, p in enumerate(data.get("progress") or []):
            if p["outcome_id"] not in outcomes:
                errors.setdefault("progress", {})[str(index)] = {
                    "outcome_id": [_("Rate progress against the plan's outcomes")]
                }
        for index, u in enumerate(data.get("action_updates") or []):
            if u["action_id"] not in actions:
                errors.setdefault("action_updates", {})[str(index)] = {
                    "action_id": [_("Update the plan's actions")]
                }
        if errors:
            raise ValidationError(errors)
        meeting = plans.record_core_group(
            actor=user,
            episode=episode,
            held_at=data["held_at"],
            attended=[members[i] for i in data["attended"]],
            child_attended=data["child_attended"],
            child_views=data.get("child_views", ""),
            risks=data.get("risks", ""),
            access_denied=data["access_denied"],
            notes=data.get("notes", ""),
            progress=[
                {
                    "outcome": outcomes[p["outcome_id"]],
                    "rating": p["rating"],
                    "note": p.get("note", ""),
                }
                for p in data.get("progress") or []
            ],
            action_updates=[
                {
                    "action": actions[u["action_id"]],
                    "status": u["status"],
                    "note": u.get("note", ""),
                }
                for u in data.get("action_updates") or []
            ],
        )
        return Response(
            s.CoreGroupMeetingSerializer(meeting, context={"staff": True}).data, status=201
        )


class VisitsView(APIView):
    @extend_schema(
        summary="The statutory visits recorded in this registration (staff), newest first",
        responses={200: s.VisitSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, plan_id: int) -> Response:
        user = actor(request)
        plan = _plan(user, plan_id, request, "api:plan_visits", staff=True)
        visits = plan.episode.visits.select_related("visitor", "recorded_by").order_by(
            "-visited_at"
        )
        return Response(s.VisitSerializer(visits, many=True).data)

    @_post_schema(
        summary="Record a statutory visit",
        description="Not in the future, and while the child is on the register. A child seen "
        "alone or at home must have been seen; seen but not alone needs `not_alone_reason`; "
        "seen needs `child_words`; every visit needs `observations`.",
        request=s.VisitInputSerializer,
        response=s.VisitSerializer,
        status=201,
    )
    @idempotent
    def post(self, request: Request, plan_id: int) -> Response:
        user = actor(request)
        plan = _plan(user, plan_id, request, "api:plan_visit", staff=True)
        data = _valid(s.VisitInputSerializer, request)
        visitor = None
        if data.get("visitor_id"):
            visitor = _users({data["visitor_id"]}).get(data["visitor_id"])
            if visitor is None:
                raise ValidationError({"visitor_id": [_("Choose who visited")]})
        visit = plans.record_visit(
            actor=user,
            episode=plan.episode,
            visited_at=data["visited_at"],
            child_seen=data["child_seen"],
            observations=data.get("observations", ""),
            seen_alone=data["seen_alone"],
            not_alone_reason=data.get("not_alone_reason", ""),
            seen_at_home=data["seen_at_home"],
            bedroom_seen=data["bedroom_seen"],
            child_words=data.get("child_words", ""),
            visitor=visitor,
        )
        return Response(s.VisitSerializer(visit).data, status=201)


class VisitsDueView(APIView):
    @extend_schema(
        summary="When the next statutory visits are due (staff, while registered)",
        description="`visit.seen_alone` and `visit.seen_at_home` from the last such visit (or "
        "registration); `visit.bedroom` once per review cycle. Empty after the child leaves "
        "the register.",
        responses={200: s.VisitDueSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, plan_id: int) -> Response:
        user = actor(request)
        plan = _plan(user, plan_id, request, "api:plan_visits_due", staff=True)
        episode = plan.episode
        dues = visits_due(episode) if episode.is_open else []
        return Response(
            s.VisitDueSerializer(
                [{**s.due_data(d.timeliness), "last": d.last} for d in dues], many=True
            ).data
        )
