"""The facts of a child's file, taken from the record and shown beside the audit's questions, so an
auditor judges instead of counting. Everything is "as at" the end of the programme's period.

* ``timeliness`` — each step against its rule's due date, as the workflow stored it: the MASH
  decision, the section 47 enquiry, each conference and the circulation of its record, each core
  group. A step is on time when done by its due moment; open steps past due count as late.
* ``visits`` — statutory visits: how many, the child seen, seen alone (and the share), at home,
  bedroom seen; the section 47 visit too.
* ``plan_quality`` — the plan's quality score per version (with the threshold and the issues).
* ``supervision`` — case supervision entries about the child and their actions (done, done late,
  open, overdue).
* ``changes_of_worker`` — allocations that changed the child's worker, with the reason.
* ``child_words`` — where the child's own words are recorded: the report, the section 47 visit,
  conferences, core groups, visits, plan versions.
* ``agencies`` — agencies involved with the child, and every outcome shared with an agency and
  whether (and when) it was acknowledged.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from diogelu.audit.models import Audit
from diogelu.audit.sampling import period_bounds

EXCERPT = 240


@dataclass(frozen=True)
class Step:
    label: str | Promise
    due_at: datetime.datetime | None
    done_at: datetime.datetime | None
    rule: str = ""

    @property
    def on_time(self) -> bool | None:
        """True on time, False late (or open past due), None when there is no due date."""
        if self.due_at is None:
            return None
        if self.done_at is None:
            return None
        return self.done_at <= self.due_at


@dataclass(frozen=True)
class Words:
    where: str | Promise
    at: datetime.datetime | datetime.date | None
    text: str


@dataclass(frozen=True)
class PlanQuality:
    number: int
    status: str
    score: int | None
    threshold: int | None
    published_at: datetime.datetime | None
    issues: int


@dataclass(frozen=True)
class SupervisionEntry:
    held_on: datetime.date
    supervisor: str
    decisions: str


@dataclass(frozen=True)
class WorkerChange:
    at: datetime.datetime
    reason: str
    previous: str
    worker: str


@dataclass(frozen=True)
class OutcomeShared:
    agency: str
    title: str
    shared_at: datetime.datetime
    acknowledge_by: datetime.datetime
    acknowledged_at: datetime.datetime | None

    @property
    def acknowledged_on_time(self) -> bool:
        return self.acknowledged_at is not None and self.acknowledged_at <= self.acknowledge_by


@dataclass
class Facts:
    as_at: datetime.datetime
    steps: list[Step] = field(default_factory=list)
    open_steps_overdue: int = 0
    visits: int = 0
    visits_seen: int = 0
    visits_seen_alone: int = 0
    visits_at_home: int = 0
    bedroom_seen: int = 0
    last_visit_at: datetime.datetime | None = None
    s47_seen_alone: bool | None = None
    plan_versions: list[PlanQuality] = field(default_factory=list)
    supervisions: list[SupervisionEntry] = field(default_factory=list)
    actions_total: int = 0
    actions_done: int = 0
    actions_done_late: int = 0
    actions_overdue: int = 0
    worker_changes: list[WorkerChange] = field(default_factory=list)
    words: list[Words] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    outcomes: list[OutcomeShared] = field(default_factory=list)

    @property
    def steps_on_time(self) -> int:
        return sum(1 for s in self.steps if s.on_time is True)

    @property
    def steps_late(self) -> int:
        return sum(1 for s in self.steps if s.on_time is False) + self.open_steps_overdue

    @property
    def seen_alone_percent(self) -> int | None:
        if not self.visits_seen:
            return None
        return round(100 * self.visits_seen_alone / self.visits_seen)

    @property
    def outcomes_acknowledged(self) -> int:
        return sum(1 for o in self.outcomes if o.acknowledged_at is not None)


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.username) if user is not None else ""


def facts_for(audit: Audit) -> Facts:
    """The facts of ``audit``'s child's file as at the end of the programme's period."""
    _, until = period_bounds(audit.programme.period_end, audit.programme.period_end)
    return facts_of(audit.person_id, until)


def facts_of(person_id: int, until: datetime.datetime) -> Facts:
    from diogelu.access.models import Involvement
    from diogelu.conferences.models import Conference, ConferenceChild
    from diogelu.enquiries.models import Section47Enquiry
    from diogelu.oversight.models import Allocation, SupervisionAction, SupervisionChild
    from diogelu.plans.models import CoreGroupMeeting, PlanVersion, Visit
    from diogelu.referrals.models import Report
    from diogelu.sharing.models import OutcomeNotification

    facts = Facts(as_at=until)
    today = timezone.localdate(until) - datetime.timedelta(days=1)

    def step(
        label: str | Promise, due: datetime.datetime | None, done: Any, rule: str = ""
    ) -> None:
        done_at = done if done is not None and done < until else None
        facts.steps.append(Step(label, due, done_at, rule))
        if done_at is None and due is not None and due < until:
            facts.open_steps_overdue += 1

    reports = list(
        Report.objects.filter(children__person_id=person_id, received_at__lt=until)
        .select_related("decision")
        .distinct()
        .order_by("received_at", "pk")
    )
    for report in reports:
        decision = getattr(report, "decision", None)
        final = decision.final_at if decision is not None and decision.is_final else None
        step(_("MASH decision"), report.decision_due_at, final, report.due_rule_version)
        if report.child_words.strip():
            facts.words.append(
                Words(
                    _("Report of a child at risk"), report.received_at, _excerpt(report.child_words)
                )
            )
    for enquiry in Section47Enquiry.objects.filter(
        person_id=person_id, started_on__lt=until.date()
    ).order_by("started_on", "pk"):
        step(
            _("Section 47 enquiry"), enquiry.due_at, enquiry.determined_at, enquiry.due_rule_version
        )
        if enquiry.child_seen_at is not None and enquiry.child_seen_at < until:
            facts.s47_seen_alone = bool(enquiry.child_seen_alone)
        if enquiry.child_views.strip():
            facts.words.append(
                Words(_("Section 47 enquiry"), enquiry.started_on, _excerpt(enquiry.child_views))
            )
    conferences = Conference.objects.filter(
        children__person_id=person_id, due_at__lt=until
    ).order_by("due_at", "pk")
    for conference in conferences:
        step(
            conference.get_kind_display(),
            conference.due_at,
            conference.held_at,
            conference.due_rule_version,
        )
        if conference.record_due_at is not None:
            step(
                _("Conference record circulated"),
                conference.record_due_at,
                conference.record_circulated_at,
                conference.record_due_rule_version,
            )
    for place in ConferenceChild.objects.filter(
        person_id=person_id, conference__held_at__lt=until
    ).select_related("conference"):
        if place.child_views.strip():
            facts.words.append(
                Words(
                    _("Child protection conference"),
                    place.conference.held_at,
                    _excerpt(place.child_views),
                )
            )
    for meeting in CoreGroupMeeting.objects.filter(
        episode__person_id=person_id, due_at__lt=until
    ).order_by("due_at", "pk"):
        step(_("Core group"), meeting.due_at, meeting.held_at, meeting.due_rule_version)
        if meeting.child_views.strip() and meeting.held_at < until:
            facts.words.append(
                Words(_("Core group"), meeting.held_at, _excerpt(meeting.child_views))
            )

    visits = list(
        Visit.objects.filter(person_id=person_id, visited_at__lt=until).order_by("visited_at")
    )
    facts.visits = len(visits)
    facts.visits_seen = sum(1 for v in visits if v.child_seen)
    facts.visits_seen_alone = sum(1 for v in visits if v.child_seen and v.seen_alone)
    facts.visits_at_home = sum(1 for v in visits if v.seen_at_home)
    facts.bedroom_seen = sum(1 for v in visits if v.bedroom_seen)
    facts.last_visit_at = visits[-1].visited_at if visits else None
    for visit in visits:
        if visit.child_words.strip():
            facts.words.append(
                Words(_("Statutory visit"), visit.visited_at, _excerpt(visit.child_words))
            )

    for version in PlanVersion.objects.filter(
        plan__person_id=person_id, created_at__lt=until
    ).order_by("plan_id", "number"):
        facts.plan_versions.append(
            PlanQuality(
                number=version.number,
                status=version.get_status_display(),
                score=version.quality_score,
                threshold=version.quality_threshold,
                published_at=version.published_at,
                issues=len(version.quality_issues or []),
            )
        )
        if version.child_words.strip():
            facts.words.append(
                Words(
                    _("Plan version %(n)s") % {"n": version.number},
                    version.published_at or version.created_at,
                    _excerpt(version.child_words),
                )
            )

    for entry in (
        SupervisionChild.objects.filter(person_id=person_id, supervision__held_on__lt=until.date())
        .select_related("supervision__supervisor")
        .order_by("supervision__held_on")
    ):
        facts.supervisions.append(
            SupervisionEntry(
                entry.supervision.held_on,
                _name(entry.supervision.supervisor),
                _excerpt(entry.decisions),
            )
        )
    actions = SupervisionAction.objects.filter(
        person_id=person_id, supervision__held_on__lt=until.date()
    )
    for action in actions:
        facts.actions_total += 1
        if action.done_at is not None and action.done_at < until:
            facts.actions_done += 1
            if timezone.localdate(action.done_at) > action.due_on:
                facts.actions_done_late += 1
        elif action.due_on <= today:
            facts.actions_overdue += 1

    for allocation in (
        Allocation.objects.filter(case__person_id=person_id, started_at__lt=until)
        .select_related("worker", "previous_worker")
        .order_by("started_at", "pk")
    ):
        if allocation.is_change_of_worker:
            facts.worker_changes.append(
                WorkerChange(
                    allocation.started_at,
                    allocation.get_reason_display(),
                    _name(allocation.previous_worker),
                    _name(allocation.worker),
                )
            )

    involved = (
        Involvement.objects.filter(person_id=person_id, started_at__lt=until)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=until - datetime.timedelta(days=365)))
        .select_related("agency")
    )
    facts.agencies = sorted({i.agency.name for i in involved})
    for outcome in (
        OutcomeNotification.objects.filter(
            report__children__person_id=person_id,
            shared_at__lt=until,
            recipient_agency__isnull=False,
        )
        .select_related("recipient_agency")
        .distinct()
        .order_by("shared_at", "pk")
    ):
        acknowledged = (
            outcome.acknowledged_at
            if outcome.acknowledged_at and outcome.acknowledged_at < until
            else None
        )
        facts.outcomes.append(
            OutcomeShared(
                outcome.recipient_agency.name
                if outcome.recipient_agency
                else outcome.recipient_label,
                outcome.title,
                outcome.shared_at,
                outcome.acknowledge_by,
                acknowledged,
            )
        )
    facts.words.sort(key=lambda w: _sort_key(w.at))
    return facts


def _sort_key(value: datetime.datetime | datetime.date | None) -> datetime.datetime:
    if value is None:
        return datetime.datetime.min.replace(tzinfo=datetime.UTC)
    if isinstance(value, datetime.datetime):
        return value
    return datetime.datetime.combine(
        value, datetime.time.min, tzinfo=timezone.get_current_timezone()
    )
