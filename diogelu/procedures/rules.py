"""Procedure rules: the Wales Safeguarding Procedures' timescales as data.

The rules ship in ``rules.toml`` next to this module. A deployment can replace any field of any
rule, add rules, add bank-holiday closures and change the "due soon" thresholds with an override
file in the same shape, named by ``DIOGELU_PROCEDURES_RULES`` or passed to :func:`load_rules`.

Plain Python: no Django, no database.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

from diogelu.procedures.workdays import WorkingCalendar

__all__ = [
    "ENV_VAR",
    "Confidence",
    "Period",
    "PeriodUnit",
    "Rule",
    "RuleError",
    "RuleKind",
    "RuleSet",
    "Source",
    "load_rules",
]

#: Environment variable naming a TOML override file (read by :func:`load_rules` when no path is
#: given).
ENV_VAR = "DIOGELU_PROCEDURES_RULES"

_SCHEMA = 1


class RuleError(ValueError):
    """A rule file is malformed, or a rule was asked for that does not exist."""


class PeriodUnit(StrEnum):
    """How a rule's period is counted."""

    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    WEEKS = "weeks"
    MONTHS = "months"
    HOURS = "hours"
    #: Until the next review conference (the bedroom visit rule).
    REVIEW_CYCLE = "review_cycle"


class RuleKind(StrEnum):
    """Whether a rule is a one-off deadline or recurs from its last occurrence."""

    DEADLINE = "deadline"
    RECURRING = "recurring"


class Confidence(StrEnum):
    """How sure the domain brief is of the figure (DOMAIN.md's ✔ / ~ / ? marks)."""

    VERIFIED = "verified"
    SECONDARY = "secondary"
    UNVERIFIED = "unverified"
    LOCAL = "local"

    @property
    def mark(self) -> str:
        """The brief's symbol for this confidence ("local" has none, so it reads "local")."""
        return {"verified": "✔", "secondary": "~", "unverified": "?", "local": "local"}[self.value]


_UNIT_WORDS: dict[PeriodUnit, tuple[str, str]] = {
    PeriodUnit.WORKING_DAYS: ("working day", "working days"),
    PeriodUnit.CALENDAR_DAYS: ("calendar day", "calendar days"),
    PeriodUnit.WEEKS: ("week", "weeks"),
    PeriodUnit.MONTHS: ("month", "months"),
    PeriodUnit.HOURS: ("hour", "hours"),
    PeriodUnit.REVIEW_CYCLE: ("review cycle", "review cycles"),
}


@dataclass(frozen=True)
class Period:
    """An amount of a unit, e.g. 15 working days or 6 months."""

    amount: int
    unit: PeriodUnit

    def __post_init__(self) -> None:
        if self.amount < 1:
            raise RuleError(f"a period must be at least 1 {self.unit.value}, not {self.amount}")
        if self.unit is PeriodUnit.REVIEW_CYCLE and self.amount != 1:
            raise RuleError("a review_cycle period can only be 1")

    def describe(self) -> str:
        """English text such as "1 working day" or "6 months"."""
        one, many = _UNIT_WORDS[self.unit]
        return f"{self.amount} {one if self.amount == 1 else many}"


@dataclass(frozen=True)
class Source:
    """A cited source: the brief's ``[Sx]`` tag, a title and a public URL."""

    tag: str
    title: str
    url: str


@dataclass(frozen=True)
class Rule:
    """One procedural timescale.

    ``key`` is the stable identifier code and data refer to (e.g. ``"icpc.convene"``). ``step``
    is the row of DOMAIN.md §0; ``domain_ref`` points at the brief's sections. ``clock_start``
    completes the sentence "within <period> of ...". ``in_force`` is false for superseded text
    kept for historical measurement. ``overridden_by`` names the override file that changed the
    rule, if any.
    """

    key: str
    title_en: str
    title_cy: str
    step: int | None
    domain_ref: str
    section: str
    clock_start: str
    period: Period
    kind: RuleKind
    wording: str
    sources: tuple[Source, ...]
    confidence: Confidence
    version: str
    verified: bool = True
    configurable: bool = False
    in_force: bool = True
    welsh_reviewed: bool = False
    notes: str = ""
    overridden_by: str | None = None

    @property
    def citation(self) -> str:
        """The source tags run together, e.g. ``"[S13][S20]"``; ``"local rule"`` if none."""
        return "".join(f"[{s.tag}]" for s in self.sources) or "local rule"

    def title(self, language: str = "en") -> str:
        """The title in ``"en"`` or ``"cy"`` (Welsh; see ``welsh_reviewed``)."""
        return self.title_cy if language.startswith("cy") else self.title_en

    def describe(self) -> str:
        """A sentence for people, e.g. "within 1 working day of receipt of the report
        (WSP §3 pt1, [S8])"."""
        if self.period.unit is PeriodUnit.REVIEW_CYCLE:
            text = f"by the next review conference after {self.clock_start}"
        else:
            text = f"within {self.period.describe()} of {self.clock_start}"
        return f"{text} ({self.section}, {self.citation})"


@dataclass(frozen=True, eq=False)
class RuleSet:
    """The loaded rules, the working-day calendar and the timeliness thresholds.

    Behaves as a read-only mapping of key to :class:`Rule` (``rules["icpc.convene"]``,
    ``"x" in rules``, iteration in file order).
    """

    rules: Mapping[str, Rule]
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    due_soon_working_days: int = 2
    due_soon_hours: int = 1
    origin: tuple[str, ...] = ()

    def __getitem__(self, key: str) -> Rule:
        try:
            return self.rules[key]
        except KeyError:
            raise RuleError(f"no procedure rule called {key!r}") from None

    def __contains__(self, key: object) -> bool:
        return key in self.rules

    def __iter__(self) -> Iterator[str]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, key: str) -> Rule:
        """The rule called ``key``; raises :class:`RuleError` if there is none."""
        return self[key]

    def all(self, *, in_force_only: bool = False) -> tuple[Rule, ...]:
        """All rules in file order; only those in force if ``in_force_only``."""
        return tuple(r for r in self.rules.values() if r.in_force or not in_force_only)


# --- loading ------------------------------------------------------------------------------

_RULE_FIELDS = {
    "title_en": str,
    "title_cy": str,
    "step": int,
    "domain_ref": str,
    "section": str,
    "clock_start": str,
    "amount": int,
    "unit": str,
    "kind": str,
    "wording": str,
    "sources": list,
    "confidence": str,
    "version": str,
    "verified": bool,
    "configurable": bool,
    "in_force": bool,
    "welsh_reviewed": bool,
    "notes": str,
}
_REQUIRED = set(_RULE_FIELDS) - {
    "kind",
    "verified",
    "configurable",
    "in_force",
    "welsh_reviewed",
    "notes",
    "step",
}
_TOP_LEVEL = {"schema", "calendar", "timeliness", "sources", "rules"}


def _read_toml(text: str, origin: str) -> dict[str, Any]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"{origin}: not valid TOML: {exc}") from exc
    unknown = set(data) - _TOP_LEVEL
    if unknown:
        raise RuleError(f"{origin}: unknown top-level keys {sorted(unknown)}")
    if data.get("schema", _SCHEMA) != _SCHEMA:
        raise RuleError(f"{origin}: schema {data['schema']!r} is not supported (want {_SCHEMA})")
    return data


def _check_rule_table(key: str, table: Mapping[str, Any], origin: str) -> None:
    for name, value in table.items():
        expected = _RULE_FIELDS.get(name)
        if expected is None:
            raise RuleError(f"{origin}: rule {key!r} has unknown field {name!r}")
        # bool is a subclass of int: reject True where a number is wanted.
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise RuleError(f"{origin}: rule {key!r} field {name!r} must be {expected.__name__}")


def _build_rule(
    key: str, table: Mapping[str, Any], sources: Mapping[str, Source], origin: str
) -> Rule:
    missing = _REQUIRED - set(table)
    if missing:
        raise RuleError(f"{origin}: rule {key!r} is missing {sorted(missing)}")
    try:
        unit = PeriodUnit(table["unit"])
        kind = RuleKind(table.get("kind", "deadline"))
        confidence = Confidence(table["confidence"])
    except ValueError as exc:
        raise RuleError(f"{origin}: rule {key!r}: {exc}") from exc
    cited: list[Source] = []
    for tag in table["sources"]:
        if tag not in sources:
            raise RuleError(f"{origin}: rule {key!r} cites unknown source {tag!r}")
        cited.append(sources[tag])
    if not cited and confidence is not Confidence.LOCAL:
        raise RuleError(f"{origin}: rule {key!r} has no source, so its confidence must be local")
    return Rule(
        key=key,
        title_en=table["title_en"],
        title_cy=table["title_cy"],
        step=table.get("step"),
        domain_ref=table["domain_ref"],
        section=table["section"],
        clock_start=table["clock_start"],
        period=Period(table["amount"], unit),
        kind=kind,
        wording=table["wording"],
        sources=tuple(cited),
        confidence=confidence,
        version=table["version"],
        verified=table.get("verified", True),
        configurable=table.get("configurable", False),
        in_force=table.get("in_force", True),
        welsh_reviewed=table.get("welsh_reviewed", False),
        notes=table.get("notes", ""),
    )


def _dates(values: Any, name: str, origin: str) -> tuple[date, ...]:
    if not isinstance(values, list):
        raise RuleError(f"{origin}: calendar.{name} must be a list of dates")
    out: list[date] = []
    for value in values:
        if isinstance(value, date):
            out.append(value)
        elif isinstance(value, str):
            try:
                out.append(date.fromisoformat(value))
            except ValueError as exc:
                raise RuleError(f"{origin}: calendar.{name}: {value!r} is not a date") from exc
        else:
            raise RuleError(f"{origin}: calendar.{name}: {value!r} is not a date")
    return tuple(out)


def _packaged_text() -> str:
    return resources.files("diogelu.procedures").joinpath("rules.toml").read_text("utf-8")


def load_rules(
    path: str | os.PathLike[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
) -> RuleSet:
    """Load the packaged rules, then apply an override file if there is one.

    The override file is ``path`` if given, otherwise the file named by the environment variable
    ``DIOGELU_PROCEDURES_RULES`` (looked up in ``environ``, default ``os.environ``; pass
    ``environ={}`` to ignore it). In the override:

    * ``[rules."<key>"]`` replaces only the fields it gives. A new key must give every required
      field. If ``amount`` or ``unit`` change and no ``version`` is given, the version becomes
      ``"local override of <old version>"``, and the confidence ``local`` unless given, because
      the cited source no longer supports the figure.
    * ``[sources.<tag>]`` adds or replaces sources.
    * ``[calendar]`` sets ``subdiv``, ``extra_non_working_days`` and ``extra_working_days``.
    * ``[timeliness]`` sets ``due_soon_working_days`` and ``due_soon_hours``.

    Raises :class:`RuleError` for anything malformed: a bad rule file should stop the service
    from starting rather than compute wrong deadlines.
    """
    base = _read_toml(_packaged_text(), "rules.toml")
    origins = ["rules.toml"]
    env = os.environ if environ is None else environ
    override_path = os.fspath(path) if path is not None else env.get(ENV_VAR) or None
    override: dict[str, Any] = {}
    if override_path:
        try:
            text = Path(override_path).read_text("utf-8")
        except OSError as exc:
            raise RuleError(f"cannot read procedure rules override {override_path}: {exc}") from exc
        override = _read_toml(text, override_path)
        origins.append(override_path)

    sources: dict[str, Source] = {}
    for layer, origin in ((base, "rules.toml"), (override, override_path or "")):
        for tag, table in layer.get("sources", {}).items():
            if not isinstance(table, dict) or not {"title", "url"} <= set(table):
                raise RuleError(f"{origin}: source {tag!r} needs a title and a url")
            sources[tag] = Source(tag=tag, title=str(table["title"]), url=str(table["url"]))

    tables: dict[str, dict[str, Any]] = {}
    for key, table in base.get("rules", {}).items():
        _check_rule_table(key, table, "rules.toml")
        tables[key] = dict(table)
    overridden: set[str] = set()
    for key, table in override.get("rules", {}).items():
        origin = override_path or ""
        if not isinstance(table, dict):
            raise RuleError(f"{origin}: rule {key!r} must be a table")
        _check_rule_table(key, table, origin)
        merged = {**tables.get(key, {}), **table}
        old = tables.get(key)
        if old is not None and (merged["amount"] != old["amount"] or merged["unit"] != old["unit"]):
            if "version" not in table:
                merged["version"] = f"local override of {old['version']}"
            if "confidence" not in table:
                merged["confidence"] = Confidence.LOCAL.value
        tables[key] = merged
        overridden.add(key)

    rules: dict[str, Rule] = {}
    for key, table in tables.items():
        origin = override_path if key in overridden and override_path else "rules.toml"
        rule = _build_rule(key, table, sources, origin)
        if key in overridden:
            rule = replace(rule, overridden_by=override_path)
        rules[key] = rule

    calendar_table = {**base.get("calendar", {}), **override.get("calendar", {})}
    timeliness_table = {**base.get("timeliness", {}), **override.get("timeliness", {})}
    subdiv = str(calendar_table.get("subdiv", "WLS"))
    try:
        calendar = WorkingCalendar(
            subdiv=subdiv,
            extra_non_working_days=_dates(
                calendar_table.get("extra_non_working_days", []), "extra_non_working_days", "rules"
            ),
            extra_working_days=_dates(
                calendar_table.get("extra_working_days", []), "extra_working_days", "rules"
            ),
        )
    except NotImplementedError as exc:
        raise RuleError(f"calendar.subdiv {subdiv!r} is not a UK subdivision: {exc}") from exc
    soon_days = timeliness_table.get("due_soon_working_days", 2)
    soon_hours = timeliness_table.get("due_soon_hours", 1)
    for name, value in (("due_soon_working_days", soon_days), ("due_soon_hours", soon_hours)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise RuleError(f"timeliness.{name} must be a whole number ≥ 0")
    return RuleSet(
        rules=rules,
        calendar=calendar,
        due_soon_working_days=soon_days,
        due_soon_hours=soon_hours,
        origin=tuple(origins),
    )
