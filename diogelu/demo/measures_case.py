"""Demo: two years of case history for the measures, an improvement plan and two past reports.

The inspection is shaped on the Bridgend and Wrexham findings of DOMAIN.md §7 (an improvement
check after a performance evaluation inspection): 12 findings, 30 actions, owners in children's
services and partner agencies, linked measures with targets, milestones, evidence, owner-set RAG
agreed by the plan lead, and two reports to Cabinet and Scrutiny produced at past meetings (their
history made at those dates, so the stocktake shows what changed since). Idempotent: nothing is
made when the authority already has an inspection. Only synthetic people.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from diogelu import procedures
from diogelu.accounts.models import Agency, User
from diogelu.measures import planning
from diogelu.measures.models import (
    AuthoritySettings,
    Evidence,
    EvidenceKind,
    Finding,
    ImprovementAction,
    Inspection,
    InspectionKind,
    ReportLayout,
    Target,
)
from diogelu.people.models import Person

SEED = 2025

#: (area, area in Welsh, finding, finding in Welsh, actions: (description, description in
#: Welsh, owner username, partner agency code or "", months from the check to due, linked
#: measure and target or None, milestones count))
FINDINGS: list[
    tuple[str, str, str, str, list[tuple[str, str, str, str, int, tuple[str, int] | None, int]]]
] = [
    (
        "Information sharing in the MASH",
        "Rhannu gwybodaeth yn yr MASH",
        "Partners do not consistently receive the information they need, when they need it.",
        "Nid yw partneriaid yn cael yr wybodaeth sydd ei hangen arnynt yn gyson, pan fo'i hangen.",
        [
            (
                "Answer every MASH request within its timescale",
                "Ateb pob cais MASH o fewn ei amserlen",
                "mash.manager",
                "dyffryn-police",
                6,
                ("report_decision", 95),
                0,
            ),
            (
                "Agree the information-sharing protocol with the health board",
                "Cytuno ar y protocol rhannu gwybodaeth gyda'r bwrdd iechyd",
                "head.of.service",
                "glanrafon-health",
                4,
                None,
                2,
            ),
            (
                "Share the strategy outcome with every agency that took part",
                "Rhannu canlyniad y strategaeth â phob asiantaeth a gymerodd ran",
                "team.manager",
                "",
                3,
                ("strategy_outcome_shared", 100),
                0,
            ),
        ],
    ),
    (
        "Feedback to those who report",
        "Adborth i'r rhai sy'n adrodd",
        "Referrers are not consistently told the outcome of their report or why.",
        "Nid yw'r rhai sy'n cyfeirio yn cael gwybod canlyniad eu hadroddiad na'r rheswm yn gyson.",
        [
            (
                "Tell every reporter the outcome within one working day",
                "Rhoi gwybod i bob adroddwr am y canlyniad o fewn un diwrnod gwaith",
                "mash.manager",
                "",
                3,
                None,
                0,
            ),
            (
                "Confirm telephone reports in writing",
                "Cadarnhau adroddiadau ffôn yn ysgrifenedig",
                "mash.manager",
                "",
                3,
                ("written_confirmation", 90),
                0,
            ),
        ],
    ),
    (
        "Plan quality",
        "Ansawdd cynlluniau",
        "The quality of care and support protection plans is too variable.",
        "Mae ansawdd cynlluniau gofal a chymorth amddiffyn yn rhy amrywiol.",
        [
            (
                "Circulate the outline plan within five working days",
                "Dosbarthu'r cynllun amlinellol o fewn pum diwrnod gwaith",
                "conference.chair",
                "",
                3,
                ("outline_plan_5wd", 90),
                0,
            ),
            (
                "Quarterly audit of plans against the SMART standard",
                "Archwiliad chwarterol o gynlluniau yn erbyn y safon SMART",
                "auditor",
                "",
                9,
                None,
                3,
            ),
            (
                "Training for core group members on writing outcomes",
                "Hyfforddiant i aelodau grwpiau craidd ar ysgrifennu canlyniadau",
                "team.manager",
                "",
                6,
                None,
                2,
            ),
        ],
    ),
    (
        "Recording and supervision",
        "Cofnodi a goruchwylio",
        "There are gaps in recording and in the supervision of practitioners.",
        "Mae bylchau mewn cofnodi ac yng ngoruchwyliaeth ymarferwyr.",
        [
            (
                "Supervision every four weeks for every social worker",
                "Goruchwyliaeth bob pedair wythnos i bob gweithiwr cymdeithasol",
                "team.manager",
                "",
                6,
                None,
                0,
            ),
            (
                "Case recording standard published and audited",
                "Safon cofnodi achosion wedi'i chyhoeddi a'i harchwilio",
                "head.of.service",
                "",
                6,
                None,
                2,
            ),
        ],
    ),
    (
        "Voice of the child",
        "Llais y plentyn",
        "Children's views are not always heard, recorded and acted on.",
        "Nid yw barn plant bob amser yn cael ei chlywed, ei chofnodi a'i gweithredu.",
        [
            (
                "Record the child's views at every conference",
                "Cofnodi barn y plentyn ym mhob cynhadledd",
                "conference.chair",
                "",
                6,
                ("child_views_recorded", 90),
                0,
            ),
            (
                "See every registered child alone every ten working days",
                "Gweld pob plentyn cofrestredig ar ei ben ei hun bob deg diwrnod gwaith",
                "team.manager",
                "",
                6,
                ("seen_alone_10wd", 85),
                0,
            ),
            (
                "Direct work tools for younger children",
                "Offer gwaith uniongyrchol i blant iau",
                "social.worker",
                "",
                6,
                None,
                0,
            ),
        ],
    ),
    (
        "Advocacy",
        "Eiriolaeth",
        "The active offer of advocacy is not consistently made.",
        "Nid yw'r cynnig rhagweithiol o eiriolaeth yn cael ei wneud yn gyson.",
        [
            (
                "Offer advocacy to every child before the initial conference",
                "Cynnig eiriolaeth i bob plentyn cyn y gynhadledd gychwynnol",
                "conference.chair",
                "",
                3,
                ("advocacy_offered", 95),
                0,
            ),
            (
                "Commission advocacy through the medium of Welsh",
                "Comisiynu eiriolaeth drwy gyfrwng y Gymraeg",
                "head.of.service",
                "",
                9,
                None,
                2,
            ),
        ],
    ),
    (
        "Timeliness of conferences",
        "Amseroldeb cynadleddau",
        "Initial conferences are not always held within 15 working days.",
        "Nid yw cynadleddau cychwynnol bob amser yn cael eu cynnal o fewn 15 diwrnod gwaith.",
        [
            (
                "Hold initial conferences within 15 working days",
                "Cynnal cynadleddau cychwynnol o fewn 15 diwrnod gwaith",
                "conference.chair",
                "",
                6,
                ("icpc_15wd", 90),
                0,
            ),
            (
                "Review conferences in time",
                "Cynadleddau adolygu mewn pryd",
                "conference.chair",
                "",
                6,
                ("review_in_time", 95),
                0,
            ),
            (
                "Quorate conferences: police and health attendance",
                "Cynadleddau â chworwm: presenoldeb yr heddlu ac iechyd",
                "head.of.service",
                "dyffryn-police",
                6,
                ("icpc_quorate", 95),
                0,
            ),
        ],
    ),
    (
        "Core groups and visits",
        "Grwpiau craidd ac ymweliadau",
        "Core groups and statutory visits are not always in line with the procedures.",
        "Nid yw grwpiau craidd ac ymweliadau statudol bob amser yn unol â'r gweithdrefnau.",
        [
            (
                "First core group within ten working days",
                "Grŵp craidd cyntaf o fewn deg diwrnod gwaith",
                "team.manager",
                "",
                6,
                ("first_core_group_10wd", 90),
                0,
            ),
            (
                "Core groups every six weeks",
                "Grwpiau craidd bob chwe wythnos",
                "team.manager",
                "",
                6,
                ("core_group_interval", 90),
                0,
            ),
            (
                "Visits at home every four weeks",
                "Ymweliadau yn y cartref bob pedair wythnos",
                "social.worker",
                "",
                6,
                ("seen_at_home_4wk", 90),
                0,
            ),
        ],
    ),
    (
        "Section 47 enquiries",
        "Ymholiadau adran 47",
        "Enquiries are not always completed within 42 working days.",
        "Nid yw ymholiadau bob amser yn cael eu cwblhau o fewn 42 diwrnod gwaith.",
        [
            (
                "Complete enquiries within 42 working days",
                "Cwblhau ymholiadau o fewn 42 diwrnod gwaith",
                "team.manager",
                "",
                6,
                ("s47_42wd", 85),
                0,
            ),
            (
                "Joint enquiries protocol with the police",
                "Protocol ymholiadau ar y cyd gyda'r heddlu",
                "head.of.service",
                "dyffryn-police",
                9,
                None,
                2,
            ),
        ],
    ),
    (
        "Criminal exploitation",
        "Camfanteisio troseddol",
        "The response to children at risk of criminal exploitation needs urgent improvement.",
        "Mae angen gwella'r ymateb i blant sydd mewn perygl o gamfanteisio troseddol ar frys.",
        [
            (
                "Multi-agency exploitation panel every month",
                "Panel camfanteisio amlasiantaethol bob mis",
                "head.of.service",
                "glanrafon-yjs",
                6,
                None,
                0,
            ),
            (
                "Exploitation screening in every strategy discussion",
                "Sgrinio camfanteisio ym mhob trafodaeth strategaeth",
                "mash.manager",
                "dyffryn-police",
                6,
                None,
                0,
            ),
        ],
    ),
    (
        "Workforce",
        "Gweithlu",
        "The workforce remains fragile, with reliance on agency social workers.",
        "Mae'r gweithlu'n parhau'n fregus, gan ddibynnu ar weithwyr cymdeithasol asiantaeth.",
        [
            (
                "Reduce agency social workers below 15%",
                "Lleihau gweithwyr cymdeithasol asiantaeth i lai na 15%",
                "head.of.service",
                "",
                12,
                None,
                3,
            ),
            (
                "Grow-our-own social work degree places",
                "Lleoedd gradd gwaith cymdeithasol 'tyfu ein hunain'",
                "head.of.service",
                "",
                12,
                None,
                0,
            ),
        ],
    ),
    (
        "Management oversight and quality assurance",
        "Goruchwyliaeth reoli a sicrhau ansawdd",
        "Leaders do not have a clear enough view of practice and performance.",
        "Nid oes gan arweinwyr olwg ddigon clir ar ymarfer a pherfformiad.",
        [
            (
                "Monthly performance report to the leadership team",
                "Adroddiad perfformiad misol i'r tîm arwain",
                "head.of.service",
                "",
                3,
                None,
                0,
            ),
            (
                "Re-registration within 12 months kept under review",
                "Adolygu ail-gofrestru o fewn 12 mis yn barhaus",
                "auditor",
                "",
                6,
                ("rereg_12m", 10),
                0,
            ),
            (
                "Data quality checks cleared every month",
                "Clirio gwiriadau ansawdd data bob mis",
                "auditor",
                "",
                3,
                None,
                0,
            ),
        ],
    ),
]

TARGETS = {
    "report_decision": 95,
    "s47_42wd": 85,
    "icpc_15wd": 90,
    "outline_plan_5wd": 90,
    "first_core_group_10wd": 90,
    "core_group_interval": 90,
    "seen_alone_10wd": 85,
    "seen_at_home_4wk": 90,
    "review_in_time": 95,
    "advocacy_offered": 95,
    "child_views_recorded": 90,
}


def _months(day: datetime.date, n: int) -> datetime.date:
    return procedures.add_months(day, n)


def load_measures_case(
    authority: Agency, agencies: dict[str, Agency], users: dict[str, User]
) -> list[str]:
    """Make the history, the plan and its reports once; returns lines for the loader to print."""
    if Inspection.objects.filter(authority=authority).exists():
        return []
    from time_machine import travel

    from diogelu.demo.measures_history import build_history

    rng = random.Random(SEED)
    lead = users["head.of.service"]
    AuthoritySettings.objects.update_or_create(
        authority=authority,
        defaults={
            "child_population": 27400,
            "population_source": "Synthetic figure for the demo authority",
            "report_layout": ReportLayout.SIDE_BY_SIDE,
        },
    )
    for key, value in TARGETS.items():
        Target.objects.update_or_create(
            authority=authority, measure=key, defaults={"target": value, "set_by": lead}
        )
    workers = _history_workers(authority)
    people = _history_children(authority, rng, 220)
    build_history(authority, workers, people, rng, n=180, years=2)
    _late_siblings(authority, workers, people[-3:])
    _close_history(authority, workers)
    today = timezone.localdate()
    check = _months(today, -9)
    first_meeting = _months(today, -6)
    second_meeting = _months(today, -3)
    with travel(_noon(check), tick=False):
        inspection = Inspection.objects.create(
            authority=authority,
            kind=InspectionKind.IMPROVEMENT_CHECK,
            title="Improvement check of children's services: child protection",
            title_cy="Gwiriad gwella o wasanaethau plant: amddiffyn plant",
            held_from=check,
            held_to=check + datetime.timedelta(days=3),
            published_on=check + datetime.timedelta(days=56),
            lead=lead,
        )
        actions = _plan(inspection, agencies, users, check)
    _progress(actions, users, lead, first_meeting, second_meeting, today, rng)
    return [
        "Improvement plan: 12 findings, 30 actions, two reports to Cabinet and Scrutiny "
        f"(head.of.service leads the plan; {len(people)} children with case history)"
    ]


GIVEN = [
    "Aled",
    "Bethan",
    "Cai",
    "Dwynwen",
    "Efa",
    "Ffion",
    "Gethin",
    "Hedd",
    "Iolo",
    "Lowri",
    "Mabli",
    "Nia",
    "Osian",
    "Powys",
    "Rhys",
    "Seren",
    "Tomos",
    "Wil",
]
FAMILY = ["Hanes", "Cofnod", "Rhestr", "Cyfrif", "Ffigur"]


def _history_workers(authority: Agency) -> list[User]:
    """Three social workers who carry the history, so the demo personas' own work is as it was."""
    from diogelu.accounts.models import Role, RoleAssignment, Team

    teams = list(Team.objects.filter(agency=authority, is_mash=False).order_by("name"))
    workers = []
    for n in range(1, 4):
        user, made = User.objects.get_or_create(
            username=f"history.worker{n}",
            defaults={
                "agency": authority,
                "team": teams[n % len(teams)] if teams else None,
                "first_name": GIVEN[n],
                "last_name": "Hanes",
                "is_active": False,
                "job_title": "Social worker (case history for the measures)",
            },
        )
        if made:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            RoleAssignment.objects.create(user=user, role=Role.SOCIAL_WORKER)
        workers.append(user)
    return workers


def _late_siblings(authority: Agency, workers: list[User], children: list[Person]) -> None:
    """Three siblings conferenced late in the last complete quarter: one conference and three
    children behind the initial-conference figure (the journey opens them)."""
    from diogelu.conferences.models import (
        Conference,
        ConferenceChild,
        ConferenceKind,
        ConferenceStatus,
    )
    from diogelu.measures.planning import last_complete_quarter

    quarter = last_complete_quarter(timezone.localdate())
    strategy_day = procedures.add_working_days(quarter.start, 10)
    strategy_at = _noon(strategy_day)
    held = _noon(procedures.add_working_days(strategy_day, 18))
    due = procedures.due("icpc.convene", strategy_at)
    conference = Conference.objects.create(
        authority=authority,
        kind=ConferenceKind.INITIAL,
        status=ConferenceStatus.HELD,
        due_at=due.due_at,
        due_rule="icpc.convene",
        due_rule_version=due.rule.version,
        held_at=held,
        convened_by=workers[0],
        is_quorate=True,
        record_due_at=procedures.due("icpc.circulate_record", held).due_at,
        record_circulated_at=held + datetime.timedelta(days=1),
    )
    for child in children:
        child.family_name = "Hanes-Ffigur"
        child.save(update_fields=["family_name"])
        ConferenceChild.objects.create(
            conference=conference, person=child, child_views="Wants to stay with Nain."
        )


def _close_history(authority: Agency, workers: list[User]) -> None:
    """End the history's registrations three weeks ago (those begun in the last four weeks, an
    hour ago), so no demo persona's My work is changed by it."""
    from diogelu.conferences.models import Conference, ConferenceKind, RegisterEpisode
    from diogelu.plans.models import CoreGroupMeeting, Visit

    now = timezone.now()
    end = now - datetime.timedelta(days=21)
    open_ = RegisterEpisode.objects.filter(
        authority=authority, lead_practitioner__in=workers, ended_at__isnull=True
    )
    older = open_.filter(started_at__lt=end - datetime.timedelta(days=7))
    Visit.objects.filter(episode__in=older, visited_at__gte=end).delete()
    CoreGroupMeeting.objects.filter(episode__in=older, held_at__gte=end).delete()
    Conference.objects.filter(
        kind=ConferenceKind.REVIEW, children__episode__in=older, held_at__gte=end
    ).delete()
    older.update(ended_at=end, end_reason="REVIEW_DECISION")
    open_.update(ended_at=now - datetime.timedelta(hours=1), end_reason="REVIEW_DECISION")


def _history_children(authority: Agency, rng: random.Random, n: int) -> list[Person]:
    """Synthetic children for the history only (references GLN-H0001 …)."""
    today = timezone.localdate()
    made = []
    for i in range(1, n + 1):
        person, _ = Person.objects.get_or_create(
            la_reference=f"GLN-H{i:04d}",
            defaults={
                "authority": authority,
                "given_name": rng.choice(GIVEN),
                "family_name": rng.choice(FAMILY),
                "date_of_birth": today - datetime.timedelta(days=rng.randint(60, 16 * 365)),
                "sex": rng.choice(["FEMALE", "MALE"]),
            },
        )
        made.append(person)
    return made


def _noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=procedures.LONDON)


def _plan(
    inspection: Inspection,
    agencies: dict[str, Agency],
    users: dict[str, User],
    check: datetime.date,
) -> list[ImprovementAction]:
    made = []
    for n, (area, area_cy, text, text_cy, actions) in enumerate(FINDINGS, start=1):
        finding = Finding.objects.create(
            inspection=inspection, number=n, area=area, area_cy=area_cy, text=text, text_cy=text_cy
        )
        for m, (desc, desc_cy, owner, partner, months, measure, milestones) in enumerate(
            actions, start=1
        ):
            action = ImprovementAction.objects.create(
                finding=finding,
                number=f"{n}.{m}",
                description=desc,
                description_cy=desc_cy,
                owner=users[owner],
                partner_agency=agencies.get(partner) if partner else None,
                due_on=_months(check, months),
            )
            if measure is not None:
                planning.link_measure(
                    actor=inspection.lead,
                    action=action,
                    measure_key=measure[0],
                    target=Decimal(measure[1]),
                )
            for k in range(milestones):
                planning.add_milestone(
                    actor=inspection.lead,
                    action=action,
                    description=f"Stage {k + 1}: {desc.lower()}",
                    due_on=_months(check, 2 * (k + 1)),
                )
            made.append(action)
    return made


def _progress(
    actions: list[ImprovementAction],
    users: dict[str, User],
    lead: User,
    first_meeting: datetime.date,
    second_meeting: datetime.date,
    today: datetime.date,
    rng: random.Random,
) -> None:
    from time_machine import travel

    plain = [a for a in actions if not a.measures.exists() and not a.milestones.exists()]
    with travel(_noon(first_meeting - datetime.timedelta(days=14)), tick=False):
        for action in plain[:6]:
            planning.propose_rag(
                actor=lead,
                action=action,
                rag=rng.choice(["GREEN", "AMBER"]),
                reason="Progress reviewed at the improvement board: on plan, evidence seen.",
            )
        for action in actions[::4]:
            planning.add_evidence(
                actor=lead,
                action=action,
                kind=EvidenceKind.DOCUMENT,
                title=f"Improvement board minutes: action {action.number}",
                detail="Minutes of the monthly improvement board.",
            )
    with travel(_noon(first_meeting), tick=False):
        inspection = actions[0].finding.inspection
        planning.produce_cabinet_report(
            actor=lead,
            inspection=inspection,
            meeting_on=first_meeting,
            committee="Cabinet",
            layout=ReportLayout.SIDE_BY_SIDE,
        )
    with travel(_noon(second_meeting - datetime.timedelta(days=10)), tick=False):
        for milestone in [m for a in actions for m in a.milestones.all()][:5]:
            planning.complete_milestone(actor=lead, milestone=milestone)
        for action in actions[1:8:3]:
            action.refresh_from_db()
            planning.update_action_progress(
                actor=lead,
                action=action,
                version=action.version,
                note="Completed: confirmed by the quality assurance audit.",
                completed=True,
            )
        Evidence.objects.create(
            action=actions[4],
            kind=EvidenceKind.AUDIT,
            title="Plan quality audit: 24 plans",
            detail="16 of 24 plans met the SMART standard.",
            added_by=users["auditor"],
        )
    with travel(_noon(second_meeting), tick=False):
        planning.produce_cabinet_report(
            actor=lead,
            inspection=inspection,
            meeting_on=second_meeting,
            committee="Corporate Parenting and Scrutiny Committee",
            layout=ReportLayout.WELSH_FIRST,
        )
    with travel(_noon(today - datetime.timedelta(days=7)), tick=False):
        owner = users["team.manager"]
        for action in [a for a in plain if a.owner_id == owner.pk][:1]:
            planning.propose_rag(
                actor=owner,
                action=action,
                rag="RED",
                reason="Two team managers left: supervision fell behind in October.",
            )
        for action in actions[10:14]:
            action.refresh_from_db()
            planning.update_action_progress(
                actor=lead,
                action=action,
                version=action.version,
                note="Reviewed at the improvement board.",
                completed=False,
            )
