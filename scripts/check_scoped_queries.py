"""Fail on unscoped queries of case data in views and API code (ARCHITECTURE.md rule 3).

Views and API modules must fetch people and their records through ``visible_to(user)`` querysets
and ``access_<thing>()`` fetchers. This check reads their source (it runs nothing) and reports:

* ``<CaseModel>.objects`` or ``<CaseModel>._default_manager`` where the model holds case data, and
  no ``.visible_to(`` follows on the same expression;
* ``get_object_or_404`` / ``get_list_or_404`` anywhere in those modules.

Usage: ``python scripts/check_scoped_queries.py [ROOT]``; exit status 1 when anything is found.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

CASE_MODELS = frozenset(
    {
        "Person",
        "PersonName",
        "Address",
        "Relationship",
        "Involvement",
        "RestrictedAccessGrant",
        "BreakGlass",
        "AccessLog",
        "ChronologyEvent",
        "Report",
        "ReportChild",
        "InformationRequest",
        "InformationAnswer",
        "OutcomeNotification",
        "Section47Enquiry",
        "StrategyDiscussion",
        "Conference",
        "ConferenceChild",
        "Invitation",
        "ConferenceDecision",
        "Circulation",
        "RegisterEpisode",
        "RegisterCategory",
        "CoreGroupMember",
        "RegisterCheck",
        "Plan",
        "PlanVersion",
        "PlanOutcome",
        "PlanAction",
        "CoreGroupMeeting",
        "CoreGroupAttendance",
        "OutcomeProgress",
        "ActionUpdate",
        "Visit",
        # oversight
        "Case",
        "Allocation",
        "Supervision",
        "SupervisionChild",
        "SupervisionAction",
        "OversightRating",
        "Approval",
    }
)
#: Page modules at project level (they gather several apps' queues), checked like views.
PROJECT_PAGES = frozenset({"my_work.py"})
BANNED_CALLS = frozenset({"get_object_or_404", "get_list_or_404"})
MANAGERS = frozenset({"objects", "_default_manager", "_base_manager"})


def view_modules(root: Path) -> Iterator[Path]:
    """Every views module, every module under an ``api`` package, and the project-level pages
    (``my_work.py``)."""
    for path in sorted(root.rglob("*.py")):
        # Parts below the root only: a checkout under a folder named "api" or "tests" is not one.
        parts = path.relative_to(root).parts
        if "migrations" in parts or "tests" in parts:
            continue
        if (
            path.name.endswith("views.py")
            or path.name in PROJECT_PAGES
            or "views" in parts
            or "api" in parts
        ):
            yield path


def _chain_has_visible_to(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    current = parents.get(node)
    while isinstance(current, ast.Attribute | ast.Call):
        if isinstance(current, ast.Attribute) and current.attr == "visible_to":
            return True
        current = parents.get(current)
    return False


def problems_in(source: str, filename: str) -> list[str]:
    """The unscoped queries in one module's source."""
    tree = ast.parse(source, filename=filename)
    parents: dict[ast.AST, ast.AST] = {}
    for parent in ast.walk(tree):
        for child in ast.iter_child_nodes(parent):
            parents[child] = parent
    found: list[str] = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in MANAGERS
            and isinstance(node.value, ast.Name)
            and node.value.id in CASE_MODELS
            and not _chain_has_visible_to(node, parents)
        ):
            found.append(
                f"{filename}:{node.lineno}: {node.value.id}.{node.attr} in view/API code; "
                "use visible_to(user) or an access_<thing>() fetcher"
            )
        if isinstance(node, ast.Name) and node.id in BANNED_CALLS:
            found.append(
                f"{filename}:{node.lineno}: {node.id} in view/API code; "
                "use an access_<thing>() fetcher (404 alike for missing and not allowed)"
            )
    return found


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent / "diogelu"
    problems: list[str] = []
    checked = 0
    for path in view_modules(root):
        checked += 1
        problems.extend(problems_in(path.read_text(encoding="utf-8"), str(path)))
    for line in problems:
        sys.stderr.write(line + "\n")
    if problems:
        sys.stderr.write(f"{len(problems)} unscoped case-data queries in {checked} modules\n")
        return 1
    sys.stdout.write(f"check_scoped_queries: {checked} view/API modules, no unscoped queries\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
