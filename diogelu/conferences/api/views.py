"""``/api/v1/``: child protection conferences and the register.

Convening (initial or pre-birth from a determination-3 enquiry, transfer-in from the child),
invitations, attendance, agency reports, holding with a decision per child, circulating the record
and acknowledging it; the CP-IS-style register check and a child's register episodes.

Views are thin: records are fetched only through the access functions (404 alike for missing
and not allowed; each read logged on the API channel); input is checked at the edge; every change
is one service call, whose domain errors become problem+json naming the field (400, 403 or 409).
Every POST (and the PUT of a plan version) honours ``Idempotency-Key``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import Http404
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from drf_spectacular.utils import (
    OpenApiExample,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from diogelu.access.models import Channel, Part
from diogelu.access.services import access_person
from diogelu.accounts.models import Agency, User
from diogelu.api.authentication import actor
from diogelu.api.idempotency import idempotent
from diogelu.api.schema import (
    NOT_FOUND,
    post_schema,
    validated,
)
from diogelu.conferences import access, bulk
from diogelu.conferences import services as conferences
from diogelu.conferences.api import serializers as conferences_s
from diogelu.conferences.models import Circulation, Conference, ConferenceStatus, Invitation
from diogelu.core.api_filters import BOOLEAN, Filters, filter_parameters, list_filters
from diogelu.core.exceptions import DomainError, NotPermittedError
from diogelu.enquiries.api import access as enquiry_access
from diogelu.people.models import Person
from diogelu.sharing.api import access as sharing_access

API = Channel.API

# --- Fetching, through the access functions only -------------------------------------------------


def _is_staff(user: User, authority_id: int) -> bool:
    """The authority's social work staff and conference chairs (who run its conferences)."""
    return access.is_conference_staff(user) and user.agency_id == authority_id


def _staff_conference(user: User, conference_id: int, request: Request, route: str) -> Conference:
    return access.access_conference(
        user, conference_id, route=route, request=request._request, channel=API
    )


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
    return conferences_s.ConferenceSerializer(
        conference, context={"quorum": _quorum(conference)}
    ).data


def _conference_response(conference: Conference, *, status: int = 200) -> Response:
    return Response(_staff_data(conference), status=status)


CONFERENCE_VIEW = PolymorphicProxySerializer(
    component_name="ConferenceView",
    serializers={
        "STAFF": conferences_s.ConferenceSerializer,
        "INVITEE": conferences_s.ConferenceInviteeSerializer,
    },
    resource_type_field_name="view",
)


class PersonConferencesView(GenericAPIView[Conference]):
    serializer_class = conferences_s.ConferenceSummarySerializer

    @extend_schema(
        summary="A child's conferences (the authority's social work staff)",
        description="Every conference about the child, newest first, with when it was due "
        "(and under which rule), booked and held. Invitees see their own part of a conference "
        "at `GET /conferences/{id}/`.",
        responses={200: conferences_s.ConferenceSummarySerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, person_id: int) -> Response:
        user = actor(request)
        person = _person(user, person_id, request, "api:person_conferences")
        if not _is_staff(user, person.authority_id):
            raise Http404
        found = access.visible_conferences(user).filter(children__person=person)
        page = self.paginate_queryset(found.order_by("-created_at", "-pk"))
        assert page is not None
        return self.get_paginated_response(
            conferences_s.ConferenceSummarySerializer(page, many=True).data
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
        return Response(conferences_s.ConferenceInviteeSerializer(conference, context=context).data)


class ConveneConferenceView(APIView):
    @post_schema(
        summary="Convene the initial (or pre-birth) conference from a determination-3 enquiry",
        description="Due within `icpc.convene` of the last strategy discussion. Once per "
        "enquiry; the enquiry must have ended in determination 3.",
        request=conferences_s.ConveneInputSerializer,
        response=conferences_s.ConferenceSerializer,
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
        enquiry = enquiry_access.access_enquiry(user, enquiry_id)
        if not access.is_conference_staff(user):
            raise NotPermittedError(_("Only the authority's social work staff can do this."))
        sharing_access.log_reads(
            user, [enquiry.person_id], route="api:conference_convene", request=request
        )
        data = validated(conferences_s.ConveneInputSerializer, request)
        conference = conferences.convene_conference(
            actor=user,
            enquiries=[enquiry],
            kind=data["kind"],
            scheduled_for=data.get("scheduled_for"),
        )
        return _conference_response(conference, status=201)


class ConveneTransferInView(APIView):
    @post_schema(
        summary="Convene the transfer-in conference of a child who moved here on another "
        "authority's register",
        description="Due within `transfer_in.conference` of `notified_at`.",
        request=conferences_s.TransferInInputSerializer,
        response=conferences_s.ConferenceSerializer,
        status=201,
    )
    @idempotent
    def post(self, request: Request, person_id: int) -> Response:
        user = actor(request)
        person = _person(user, person_id, request, "api:conference_transfer_in")
        if not _is_staff(user, person.authority_id):
            raise NotPermittedError(_("Only the authority's social work staff can do this."))
        data = validated(conferences_s.TransferInInputSerializer, request)
        conference = conferences.convene_transfer_in_conference(
            actor=user,
            people=[person],
            notified_at=data["notified_at"],
            scheduled_for=data.get("scheduled_for"),
            from_authority=data.get("from_authority", ""),
        )
        return _conference_response(conference, status=201)


class InviteView(GenericAPIView[Invitation]):
    serializer_class = conferences_s.InvitationSerializer

    @extend_schema(
        summary="The conference's invitees and their attendance (the invitees page's data)",
        operation_id="conferences_invitees_list",
        description="For the conference's social work staff: every invitation, in the order "
        "made, with its attendance and the agency's report. The child's read is access-logged.",
        responses={200: conferences_s.InvitationSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, conference_id: int) -> Response:
        user = actor(request)
        list_filters(request, {})
        conference = _staff_conference(user, conference_id, request, "api:conference_invitees")
        invitations = conference.invitations.select_related(
            "agency", "user", "report_submitted_by"
        ).order_by("pk")
        page = self.paginate_queryset(invitations)
        assert page is not None
        return self.get_paginated_response(conferences_s.InvitationSerializer(page, many=True).data)

    @post_schema(
        summary="Invite an agency (optionally a named practitioner), a family member or the child",
        description="An invited partner agency may see the child's summary and chronology until "
        "its involvement ends, and is told. Inviting the child records the active offer of an "
        "advocate (`advocacy_offered`, `advocacy_accepted`).",
        request=conferences_s.InviteInputSerializer,
        response=conferences_s.InvitationSerializer,
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
        data = validated(conferences_s.InviteInputSerializer, request)
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
        return Response(conferences_s.InvitationSerializer(invitation).data, status=201)


class InviteAgenciesView(APIView):
    @post_schema(
        summary="Invite several agencies at once (all or none), as on the invitees page",
        description="Each agency must work with the conference's authority; none is invited if "
        "one cannot be. A practitioner can be named later.",
        request=conferences_s.InviteAgenciesInputSerializer,
        response=conferences_s.InvitationsMadeSerializer,
        status=201,
    )
    @idempotent
    def post(self, request: Request, conference_id: int) -> Response:
        user = actor(request)
        conference = _staff_conference(user, conference_id, request, "api:conference_invite_many")
        data = validated(conferences_s.InviteAgenciesInputSerializer, request)
        ids = list(dict.fromkeys(data["agency_ids"]))
        found = _agencies(set(ids))
        unknown = [i for i in ids if i not in found]
        if unknown:
            raise DomainError(
                _("Choose an agency that works with this local authority."), field="agency_ids"
            )
        made = bulk.invite_agencies(
            actor=user, conference=conference, agencies=[found[i] for i in ids]
        )
        return Response(
            {"invitations": conferences_s.InvitationSerializer(made, many=True).data}, status=201
        )


class AttendanceAllView(APIView):
    @post_schema(
        summary="Record the attendance of several invitees at once (all or none)",
        description="Only this conference's invitations; an id that is not one is 400 and "
        "nothing is recorded.",
        request=conferences_s.AttendanceAllInputSerializer,
        response=conferences_s.InvitationsMadeSerializer,
    )
    @idempotent
    def post(self, request: Request, conference_id: int) -> Response:
        user = actor(request)
        conference = _staff_conference(
            user, conference_id, request, "api:conference_attendance_all"
        )
        data = validated(conferences_s.AttendanceAllInputSerializer, request)
        answers: dict[int, str] = {}
        for row in data["attendance"]:
            if row["invitation_id"] in answers:
                raise DomainError(_("Give each invitee once"), field="attendance")
            answers[row["invitation_id"]] = row["attendance"]
        made = bulk.record_attendance_all(actor=user, conference=conference, answers=answers)
        return Response({"invitations": conferences_s.InvitationSerializer(made, many=True).data})


class AttendanceView(APIView):
    @post_schema(
        summary="Record whether an invitee attended, sent apologies or did not attend",
        description="Every invitee's attendance is recorded before the conference is held; the "
        "quorum counts the agencies and professional groups that attended.",
        request=conferences_s.AttendanceInputSerializer,
        response=conferences_s.InvitationSerializer,
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
        data = validated(conferences_s.AttendanceInputSerializer, request)
        invitation = conferences.record_attendance(
            actor=user, invitation=invitation, attendance=data["attendance"]
        )
        return Response(conferences_s.InvitationSerializer(invitation).data)


class AgencyReportView(APIView):
    @post_schema(
        summary="Submit your agency's report for the conference (again replaces it)",
        description="By the invited agency's own user (the named practitioner, or a worker of "
        "the invited agency); anyone else gets 404. Only before the conference is held.",
        request=conferences_s.AgencyReportInputSerializer,
        response=conferences_s.OwnInvitationSerializer,
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
        data = validated(conferences_s.AgencyReportInputSerializer, request)
        invitation = conferences.submit_agency_report(
            actor=user, invitation=invitation, text=data["text"]
        )
        return Response(conferences_s.OwnInvitationSerializer(invitation).data)


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
    @post_schema(
        summary="Record the conference held: chair, quorum, and a decision for each child",
        description="Every invitee's attendance must be recorded. Quorate with three agencies or "
        "professional groups (two only with the chair's `quorum_reason`). Each child needs their "
        "views and how they were obtained, and reasons; registering needs at least one category, "
        "the lead practitioner, the core group, the first core group by `core_group.first`, the "
        "review by `review.first` (`review.interval` at a review) and a contingency plan. At a "
        "review, `register: false` removes the child (reasons with the evidence of change). A "
        "refusal names the field (a child's field under `decisions` → its position) and records "
        "nothing.",
        request=conferences_s.HoldInputSerializer,
        response=conferences_s.ConferenceSerializer,
    )
    @idempotent
    def post(self, request: Request, conference_id: int) -> Response:
        user = actor(request)
        conference = _staff_conference(user, conference_id, request, "api:conference_hold")
        data = validated(conferences_s.HoldInputSerializer, request)
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
    @post_schema(
        summary="Circulate the record and outline plan to every invitee and core group member",
        description="Due within `icpc.circulate_record` of the conference; each recipient "
        "acknowledges. Circulating again sends only to recipients added since (`sent` lists the "
        "copies this call sent). Each sharing with a partner is written to the disclosure log.",
        request=None,
        response=conferences_s.CirculateResultSerializer,
    )
    @idempotent
    def post(self, request: Request, conference_id: int) -> Response:
        user = actor(request)
        conference = _staff_conference(user, conference_id, request, "api:conference_circulate")
        sent = conferences.circulate_record(actor=user, conference=conference)
        conference.refresh_from_db()
        return Response(
            {
                "sent": conferences_s.CirculationSerializer(sent, many=True).data,
                "conference": _staff_data(conference),
            }
        )


class InvitationListView(GenericAPIView[Invitation]):
    serializer_class = conferences_s.OwnInvitationSerializer

    @extend_schema(
        summary="Your agency's conference invitations (to send its report and attend)",
        description="A page of invitations, newest first; `url` is where to POST the report.",
        responses={200: conferences_s.OwnInvitationSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        invitations = access.open_invitations(actor(request))
        page = self.paginate_queryset(invitations)
        assert page is not None
        return self.get_paginated_response(
            conferences_s.OwnInvitationSerializer(page, many=True).data
        )


class RecordListView(GenericAPIView[Circulation]):
    serializer_class = conferences_s.OwnCirculationSerializer
    FILTERS: Filters = {"acknowledged": BOOLEAN}

    @extend_schema(
        summary="Conference records sent to you or your agency, to read and acknowledge",
        description="A page of copies, newest first; `url` is the record.",
        parameters=filter_parameters(
            FILTERS, {"acknowledged": "false: those still to acknowledge; true: those done"}
        ),
        responses={200: conferences_s.OwnCirculationSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        acknowledged = list_filters(request, self.FILTERS).get("acknowledged")
        records = access.records_for(actor(request))
        if acknowledged is not None:
            records = records.filter(acknowledged_at__isnull=acknowledged != "true")
        page = self.paginate_queryset(records)
        assert page is not None
        return self.get_paginated_response(
            conferences_s.OwnCirculationSerializer(page, many=True).data
        )


class RecordView(APIView):
    @extend_schema(
        summary="The conference record sent to you (or your agency), to read and acknowledge",
        responses={200: conferences_s.ConferenceRecordSerializer, 404: NOT_FOUND},
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
        return Response(conferences_s.ConferenceRecordSerializer(circulation).data)


class AcknowledgeRecordView(APIView):
    @post_schema(
        summary="Acknowledge the conference record (again changes nothing)",
        description="By its recipient, a colleague at the recipient agency, or (for a family "
        "member) the authority's social services acting for them.",
        request=None,
        response=conferences_s.ConferenceRecordSerializer,
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
        return Response(conferences_s.ConferenceRecordSerializer(circulation).data)


# --- The register --------------------------------------------------------------------------------


@method_decorator(sensitive_post_parameters(), name="dispatch")
class RegisterCheckView(APIView):
    @post_schema(
        summary="Is this child on the child protection register? (health and police)",
        description="By NHS number, or exact name and date of birth, within the authorities "
        "your agency works with. The answer is only: on the register or not, since when, and "
        "whom to contact (the lead practitioner). Not found and not on the register look the "
        "same. A matched child's check is written to the access log and the lead practitioner "
        "is told; the check gives no access to the child's record. An NHS number that fails "
        "the modulus 11 check digit is refused (400, problem+json), never answered with "
        '"not on the register". Anyone else: 404.',
        request=conferences_s.RegisterCheckInputSerializer,
        response=conferences_s.RegisterAnswerSerializer,
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
        data = validated(conferences_s.RegisterCheckInputSerializer, request)
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
            conferences_s.RegisterAnswerSerializer(
                {
                    "on_register": answer.on_register,
                    "since": answer.since,
                    "contact_name": answer.contact_name,
                    "contact_phone": answer.contact_phone,
                    "contact_agency": answer.contact_agency,
                }
            ).data
        )
