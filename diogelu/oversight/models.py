"""Workforce, allocation and weighted caseloads, supervision and management oversight.

Workers, contracts, absences and posts describe the authority's workforce over time (so measures
can be taken for any date). A ``Case`` is a child open to the authority; its ``Allocation`` rows are
the periods of its allocated worker (a row with no worker is a period unallocated). Supervision is
written once and shown both in the worker's supervision file and, for case supervision, in each
child's chronology. Oversight ratings and approvals keep their history as rows.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diogelu.core.models import VersionedModel

# --- workforce ---------------------------------------------------------------------------------


class JobRole(models.TextChoices):
    SOCIAL_WORKER = "SOCIAL_WORKER", _("Social worker")
    SENIOR_PRACTITIONER = "SENIOR_PRACTITIONER", _("Senior practitioner")
    CONSULTANT = "CONSULTANT", _("Consultant social worker")
    FAMILY_SUPPORT = "FAMILY_SUPPORT", _("Family support worker")
    TEAM_MANAGER = "TEAM_MANAGER", _("Team manager")
    SERVICE_MANAGER = "SERVICE_MANAGER", _("Service manager")
    HEAD_OF_SERVICE = "HEAD_OF_SERVICE", _("Head of service")
    STUDENT = "STUDENT", _("Student social worker")


class ContractKind(models.TextChoices):
    PERMANENT = "PERMANENT", _("Permanent")
    FIXED_TERM = "FIXED_TERM", _("Fixed term")
    AGENCY = "AGENCY", _("Agency")
    SECONDED = "SECONDED", _("Seconded")
    STUDENT = "STUDENT", _("Student placement")


class LeavingReason(models.TextChoices):
    RESIGNED = "RESIGNED", _("Resigned")
    RETIRED = "RETIRED", _("Retired")
    END_OF_CONTRACT = "END_OF_CONTRACT", _("End of contract or assignment")
    DISMISSED = "DISMISSED", _("Dismissed")
    INTERNAL_MOVE = "INTERNAL_MOVE", _("Moved to another part of the council")
    OTHER = "OTHER", _("Other reason")


class AbsenceKind(models.TextChoices):
    SICKNESS = "SICKNESS", _("Sickness")
    OTHER = "OTHER", _("Other absence")


class Service(models.Model):
    """A service of the authority and the directorate it sits in (the parent of teams)."""

    authority = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    name_cy = models.CharField(max_length=200, blank=True)
    directorate = models.CharField(max_length=200)
    directorate_cy = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TeamProfile(models.Model):
    """Where a team sits in its authority (service and directorate)."""

    team = models.OneToOneField(
        "accounts.Team", on_delete=models.CASCADE, related_name="oversight_profile"
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="teams")

    def __str__(self) -> str:
        return f"profile of team {self.team_id}"


class Worker(VersionedModel):
    """A practitioner of the authority: their post, registration and first year in practice.

    ``first_year_until`` is the last day of a newly qualified worker's first year in practice
    (their protected caseload and more frequent supervision apply until then). ``line_manager``
    is the worker's supervisor; the line of managers above them is followed through it.
    """

    user = models.OneToOneField("accounts.User", on_delete=models.PROTECT, related_name="worker")
    authority = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="workers")
    job_role = models.CharField(_("Job role"), max_length=24, choices=JobRole.choices)
    line_manager = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="reports"
    )
    started_on = models.DateField(_("Start date"))
    left_on = models.DateField(_("Leaving date"), null=True, blank=True)
    leaving_reason = models.CharField(max_length=20, choices=LeavingReason.choices, blank=True)
    scw_number = models.CharField(_("Social Care Wales registration number"), max_length=20)
    scw_renewal_on = models.DateField(_("Registration renewal date"), null=True, blank=True)
    first_year_until = models.DateField(null=True, blank=True)
    holds_cases = models.BooleanField(default=True)
    extra_duty_points = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["user__last_name", "user__first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("started_on")),
                name="worker_leaves_after_starting",
            )
        ]

    def __str__(self) -> str:
        return f"worker {self.pk}"

    def is_leaver(self, on: object) -> bool:
        return self.left_on is not None and self.left_on < on  # type: ignore[operator]

    def is_first_year(self, on: object) -> bool:
        return self.first_year_until is not None and self.first_year_until >= on  # type: ignore[operator]


class TeamMembership(models.Model):
    """A period of a worker in a team (``ends_on`` is the last day; empty while current). A
    worker's periods never overlap, so figures for a past day use the team of that day.
    ``Worker.team`` is the current team, kept in step by ``services.move_worker``."""

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["worker_id", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="membership_ends_after_starting",
            ),
            models.UniqueConstraint(
                fields=["worker"], condition=Q(ends_on__isnull=True), name="one_current_team"
            ),
        ]

    def __str__(self) -> str:
        return f"team membership {self.pk}"


class Contract(models.Model):
    """One contract of a worker: its kind, FTE and dates. A worker's contracts never overlap."""

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="contracts")
    kind = models.CharField(max_length=12, choices=ContractKind.choices)
    fte = models.DecimalField(max_digits=3, decimal_places=2)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fte__gt=Decimal("0")) & Q(fte__lte=Decimal("1")),
                name="contract_fte_between_0_and_1",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="contract_ends_after_starting",
            ),
        ]

    def __str__(self) -> str:
        return f"contract {self.pk}"


class Absence(models.Model):
    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="absences")
    kind = models.CharField(max_length=10, choices=AbsenceKind.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return f"absence {self.pk}"


class Post(models.Model):
    """An established post in a team, with its FTE; filled by ``PostHolding`` periods."""

    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="posts")
    title = models.CharField(max_length=200)
    fte = models.DecimalField(max_digits=3, decimal_places=2)
    established_on = models.DateField()
    disestablished_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["team_id", "title"]

    def __str__(self) -> str:
        return f"post {self.pk}"


class PostHolding(models.Model):
    """A period of a post held by a worker: an appointment (permanent, fixed term, ...) or agency
    cover, as ``kind`` (the worker's contract on the first day; empty on older rows)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="holdings")
    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="holdings")
    kind = models.CharField(max_length=12, choices=ContractKind.choices, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["starts_on"]

    def __str__(self) -> str:
        return f"post holding {self.pk}"


# --- allocation and caseloads --------------------------------------------------------------------


class CaseStage(models.TextChoices):
    ASSESSMENT = "ASSESSMENT", _("Assessment")
    EARLY_HELP = "EARLY_HELP", _("Early help")
    CARE_AND_SUPPORT = "CARE_AND_SUPPORT", _("Care and support")
    CHILD_PROTECTION = "CHILD_PROTECTION", _("Child protection")
    LOOKED_AFTER = "LOOKED_AFTER", _("Looked after")


class Case(VersionedModel):
    """A child open to the authority, held by a team. At most one open case per child."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    authority = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(max_length=20, choices=CaseStage.choices)
    in_proceedings = models.BooleanField(default=False)
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    close_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(closed_at__isnull=True), name="one_open_case"
            )
        ]

    def __str__(self) -> str:
        return f"case {self.pk}"


class AllocationReason(models.TextChoices):
    NEW_CASE = "NEW_CASE", _("New to the team")
    LEAVER = "LEAVER", _("The worker is leaving")
    CASELOAD = "CASELOAD", _("Caseload")
    CHANGE_OF_TEAM = "CHANGE_OF_TEAM", _("Change of team")
    STEP_UP = "STEP_UP", _("Case stepped up")
    STEP_DOWN = "STEP_DOWN", _("Case stepped down")
    OTHER = "OTHER", _("Other reason")


class Allocation(models.Model):
    """A period of a case with one worker (or with none: unallocated). Never edited, only ended."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="allocations")
    worker = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    previous_worker = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=16, choices=AllocationReason.choices)
    note = models.TextField(blank=True)
    made_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    flagged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(ended_at__isnull=True), name="one_current_allocation"
            )
        ]
        # A team's current allocations (a manager's My work, the team dashboard): without it
        # PostgreSQL read every current allocation of the authority and kept the team's (14,273
        # to keep 207 at Wales scale, 10.7 ms; issue 17).
        indexes = [
            models.Index(
                fields=["team"], condition=Q(ended_at__isnull=True), name="allocation_current_team"
            )
        ]

    def __str__(self) -> str:
        return f"allocation {self.pk}"

    @property
    def is_change_of_worker(self) -> bool:
        return (
            self.worker_id is not None
            and self.previous_worker_id is not None
            and self.worker_id != self.previous_worker_id
        )


class WeightingTable(models.Model):
    """Points per case by its live state, and the ceilings, as an authority sets them. A change
    is a new version; old versions are kept (the loads of the past can be explained)."""

    authority = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField()
    points = models.JSONField()
    ceiling = models.PositiveSmallIntegerField()
    first_year_ceiling = models.PositiveSmallIntegerField()
    effective_from = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["authority_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "version"], name="weighting_version")
        ]

    def __str__(self) -> str:
        return f"weighting table v{self.version}"


# --- supervision ---------------------------------------------------------------------------------


class SupervisionKind(models.TextChoices):
    CASE = "CASE", _("Case supervision")
    REFLECTIVE = "REFLECTIVE", _("Professional and reflective supervision")


class Supervision(VersionedModel):
    """One supervision session of a worker by their supervisor."""

    authority = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=SupervisionKind.choices)
    held_on = models.DateField()
    supervisor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    # Reflective supervision only: never shown on a child's record.
    wellbeing = models.TextField(blank=True)
    workload = models.TextField(blank=True)
    learning = models.TextField(blank=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["worker", "-held_on"])]

    def __str__(self) -> str:
        return f"supervision {self.pk}"


class SupervisionChild(models.Model):
    """What was discussed about one child in a case supervision, and what was decided."""

    supervision = models.ForeignKey(Supervision, on_delete=models.CASCADE, related_name="children")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    risk = models.TextField(blank=True)
    lived_experience = models.TextField(blank=True)
    plan_progress = models.TextField(blank=True)
    drift = models.TextField(blank=True)
    decisions = models.TextField()
    chronology_event = models.ForeignKey(
        "chronology.ChronologyEvent", on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["supervision", "person"], name="supervision_child")
        ]

    def __str__(self) -> str:
        return f"supervision child {self.pk}"


class PracticeStep(models.TextChoices):
    """What a supervision action asks for; all but OTHER are checked against the record."""

    VISIT = "VISIT", _("Visit the child")
    CORE_GROUP = "CORE_GROUP", _("Hold the core group")
    UPDATE_PLAN = "UPDATE_PLAN", _("Update the plan")
    CONVENE_REVIEW = "CONVENE_REVIEW", _("Convene the review conference")
    OTHER = "OTHER", _("Something else (marked done by hand)")


VERIFIED_STEPS = frozenset(
    {
        PracticeStep.VISIT,
        PracticeStep.CORE_GROUP,
        PracticeStep.UPDATE_PLAN,
        PracticeStep.CONVENE_REVIEW,
    }
)


class SupervisionAction(models.Model):
    """An action agreed in supervision, with its owner and due date.

    ``done_at`` is when the record showed it done (a verified step) or when it was marked done
    by hand (``OTHER``); ``evidence`` says what showed it. ``flagged_at`` is when the supervisor
    was told it was not done by its due date (the sweep's dedupe).
    """

    supervision = models.ForeignKey(Supervision, on_delete=models.CASCADE, related_name="actions")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    step = models.CharField(max_length=16, choices=PracticeStep.choices)
    description = models.CharField(max_length=500)
    owner = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    evidence = models.CharField(max_length=200, blank=True)
    flagged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"supervision action {self.pk}"


# --- management oversight ------------------------------------------------------------------------


class Rating(models.TextChoices):
    RED = "RED", _("Red")
    AMBER = "AMBER", _("Amber")
    GREEN = "GREEN", _("Green")


RATING_RULES = {
    Rating.RED: "oversight.review_red",
    Rating.AMBER: "oversight.review_amber",
    Rating.GREEN: "oversight.review_green",
}


class OversightRating(models.Model):
    """A manager's RAG rating of a child, with the reason and the review it implies. History:
    the newest row is the current rating."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    authority = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(max_length=6, choices=Rating.choices)
    reason = models.TextField()
    set_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()
    review_due_at = models.DateTimeField()
    rule_version = models.CharField(max_length=60)

    class Meta:
        ordering = ["-set_at", "-id"]

    def __str__(self) -> str:
        return f"oversight rating {self.pk}"


class ApprovalKind(models.TextChoices):
    CLOSE_CASE = "CLOSE_CASE", _("Close the case")
    END_ALLOCATION = "END_ALLOCATION", _("End the allocation")
    # Decided in the workflow apps (their own pages); oversight keeps the history.
    MASH_DECISION = "MASH_DECISION", _("MASH decision")
    DETERMINATION_1 = "DETERMINATION_1", _("Section 47 determination 1 (not substantiated)")
    PLAN_SIGN_OFF = "PLAN_SIGN_OFF", _("Plan below the quality threshold")
    DEREGISTRATION = "DEREGISTRATION", _("Removal from the child protection register")


#: Kinds decided on oversight's own approval page; the others are decided where they were
#: proposed (``Approval.link``) and reach oversight as workflow events.
OVERSIGHT_APPROVAL_KINDS = frozenset({ApprovalKind.CLOSE_CASE, ApprovalKind.END_ALLOCATION})


class ApprovalStatus(models.TextChoices):
    PENDING = "PENDING", _("Waiting for a manager")
    APPROVED = "APPROVED", _("Approved")
    RETURNED = "RETURNED", _("Returned")


class Approval(models.Model):
    """A proposal that needs a manager's approval; its rows for a child are its history.

    Closing a case is proposed and decided here. A MASH decision, a determination 1, a plan
    signed off below the quality threshold and a removal from the register are proposed and
    decided in their workflow apps, which tell oversight through workflow events
    (``diogelu.core.extensions``): ``source`` names the workflow's record (one row per child)
    and ``link`` the page where it is decided. ``case`` is the child's open case at the time,
    if any (a MASH decision may come before the child is open to the authority).
    """

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="approvals"
    )
    kind = models.CharField(max_length=16, choices=ApprovalKind.choices)
    source = models.CharField(max_length=80, blank=True)
    link = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING
    )
    proposed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    reason = models.TextField()
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=Q(status="PENDING", source=""),
                name="one_pending_approval_per_kind",
            ),
            models.UniqueConstraint(
                fields=["source", "person"],
                condition=Q(status="PENDING") & ~Q(source=""),
                name="one_pending_approval_per_source",
            ),
        ]

    def __str__(self) -> str:
        return f"approval {self.pk}"

    @property
    def decided_here(self) -> bool:
        return self.kind in OVERSIGHT_APPROVAL_KINDS
