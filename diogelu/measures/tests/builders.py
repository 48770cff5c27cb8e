"""Hand-made case histories for the measures' tests: rows written directly (the workflow services
have their own tests), with due dates from the procedures rules as the services store them."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from diogelu import procedures
from diogelu.accounts.models import Agency, Role, Team, User
from diogelu.conferences.models import (
    Conference,
    ConferenceChild,
    ConferenceKind,
    ConferenceStatus,
    RegisterCategory,
    RegisterEpisode,
)
from diogelu.enquiries.models import (
    S47Kind,
    Section47Enquiry,
    StrategyChildDecision,
    StrategyDiscussion,
)
from diogelu.people.models import Person
from diogelu.plans.models import CoreGroupMeeting, Visit
from diogelu.procedures import LONDON
from diogelu.referrals.models import Report, ReportChild, ReportStatus
from tests import factories as f


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


class Case:
    """One authority, a team, a head of service and a social worker, and helpers to add rows."""

    def __init__(self, authority: Agency | None = None) -> None:
        self.authority = authority or f.agency(name="Sir Measures Children's Services")
        self.team = Team.objects.create(agency=self.authority, name="Locality North")
        self.head = f.user(self.authority, Role.HEAD_OF_SERVICE, username="hos")
        self.worker = f.user(self.authority, Role.SOCIAL_WORKER, username="sw1", team=self.team)
        self._n = 0
        self.late: list[Person] = []
        self.secret: Person | None = None

    def child(self, **kw: Any) -> Person:
        self._n += 1
        kw.setdefault("given_name", f"Plentyn{self._n}")
        kw.setdefault("family_name", "Prawf")
        return f.person(self.authority, **kw)

    def report(self, received: datetime, children: list[Person]) -> Report:
        report = Report.objects.create(
            authority=self.authority,
            status=ReportStatus.SUBMITTED,
            created_by=self.worker,
            received_at=received,
            decision_due_at=procedures.due("report.decision", received).due_at,
        )
        for c in children:
            ReportChild.objects.create(
                report=report, given_name=c.given_name, family_name=c.family_name, person=c
            )
        return report

    def strategy(self, report: Report, held: datetime) -> StrategyDiscussion:
        strategy = StrategyDiscussion.objects.create(
            report=report,
            kind="DISCUSSION",
            medium="PHONE",
            held_at=held,
            chair=self.worker,
            information_shared="x",
            recorded_by=self.worker,
        )
        for rc in report.children.all():
            assert rc.person is not None
            StrategyChildDecision.objects.create(
                strategy=strategy, child=rc, person=rc.person, s47=S47Kind.SINGLE, reasons="x"
            )
        return strategy

    def enquiry(
        self, strategy: StrategyDiscussion, started: date, determined: datetime | None
    ) -> list[Section47Enquiry]:
        out = []
        for decision in strategy.child_decisions.all():
            due = procedures.due("s47.assessment", started)
            out.append(
                Section47Enquiry.objects.create(
                    decision=decision,
                    person=decision.person,
                    report=strategy.report,
                    kind=S47Kind.SINGLE,
                    lead_social_worker=self.worker,
                    started_on=started,
                    due_at=due.due_at,
                    due_rule_version=due.rule.version,
                    determination="3" if determined else "",
                    determined_at=determined,
                )
            )
        return out

    def conference(
        self,
        children: list[Person],
        *,
        clock_start: datetime,
        held: datetime | None,
        kind: str = ConferenceKind.INITIAL,
        rule: str = "icpc.convene",
        quorate: bool | None = True,
        circulated: datetime | None = None,
        status: str | None = None,
    ) -> Conference:
        due = procedures.due(rule, clock_start)
        record_due = procedures.due("icpc.circulate_record", held) if held else None
        conference = Conference.objects.create(
            authority=self.authority,
            kind=kind,
            status=status or (ConferenceStatus.HELD if held else ConferenceStatus.CONVENED),
            due_at=due.due_at,
            due_rule=rule,
            due_rule_version=due.rule.version,
            held_at=held,
            convened_by=self.worker,
            is_quorate=quorate if held else None,
            record_due_at=record_due.due_at if record_due else None,
            record_circulated_at=circulated,
        )
        for c in children:
            ConferenceChild.objects.create(conference=conference, person=c, child_views="")
        return conference

    def register(
        self,
        conference: Conference,
        person: Person,
        *,
        started: datetime | None = None,
        ended: datetime | None = None,
        previous: RegisterEpisode | None = None,
        categories: tuple[str, ...] = ("NEGLECT",),
    ) -> RegisterEpisode:
        start = started or conference.held_at
        assert start is not None
        episode = RegisterEpisode.objects.create(
            person=person,
            authority=self.authority,
            started_at=start,
            conference=conference,
            lead_practitioner=self.worker,
            ended_at=ended,
            end_reason="REVIEW_DECISION" if ended else "",
            previous_episode=previous,
        )
        for c in categories:
            RegisterCategory.objects.create(
                episode=episode, category=c, from_at=start, conference=conference
            )
        ConferenceChild.objects.filter(conference=conference, person=person).update(episode=episode)
        return episode

    def core_group(
        self, episode: RegisterEpisode, held: datetime, *, first: bool, clock: datetime
    ) -> CoreGroupMeeting:
        rule = "core_group.first" if first else "core_group.interval"
        due = procedures.due(rule, clock)
        return CoreGroupMeeting.objects.create(
            episode=episode,
            held_at=held,
            due_at=due.due_at,
            due_rule=rule,
            due_rule_version=due.rule.version,
            recorded_by=self.worker,
        )

    def visit(self, episode: RegisterEpisode, when: datetime, *, alone: bool, home: bool) -> Visit:
        return Visit.objects.create(
            person=episode.person,
            episode=episode,
            visited_at=when,
            visitor=self.worker,
            child_seen=True,
            seen_alone=alone,
            seen_at_home=home,
            observations="x",
            recorded_by=self.worker,
        )


def reader(case: Case, role: str = Role.AUDITOR, username: str = "auditor") -> User:
    return f.user(case.authority, role, username=username)
