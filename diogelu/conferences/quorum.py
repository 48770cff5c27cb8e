"""The quorum of a child protection conference, as a pure function (no database).

WSP §4 (DOMAIN.md §3 step 7): at least three agencies or professional groupings; two only in
exceptional circumstances at the chair's discretion, with the chair's reason recorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

#: At least this many agencies or professional groupings make a conference quorate.
QUORUM = 3
#: Exceptionally this many, with the chair's recorded reason.
EXCEPTIONAL_QUORUM = 2
#: A chair's reason shorter than this is not a reason.
MIN_REASON = 10


@dataclass(frozen=True)
class Attendee:
    """One agency representative who attended. Two people of one agency count once, unless
    they belong to different professional groupings (a GP and a health visitor, say)."""

    agency_id: int
    professional_group: str = ""

    @property
    def group_key(self) -> str:
        group = " ".join(self.professional_group.lower().split())
        return f"group:{group}" if group else f"agency:{self.agency_id}"


@dataclass(frozen=True)
class QuorumCheck:
    """The result: how many groupings attended, whether that is quorate, and why not."""

    groups: int
    is_quorate: bool
    needs_chair_reason: bool
    message: str


def check_quorum(attendees: Iterable[Attendee], *, chair_reason: str = "") -> QuorumCheck:
    """Whether the attendees make the conference quorate.

    >>> check_quorum([Attendee(1), Attendee(2), Attendee(3)]).is_quorate
    True
    >>> check_quorum([Attendee(1), Attendee(2)]).needs_chair_reason
    True
    """
    groups = len({a.group_key for a in attendees})
    if groups >= QUORUM:
        return QuorumCheck(groups, True, False, "")
    if groups == EXCEPTIONAL_QUORUM:
        if len(chair_reason.strip()) >= MIN_REASON:
            return QuorumCheck(groups, True, True, "")
        return QuorumCheck(
            groups,
            False,
            True,
            _(
                "Only 2 agencies or professional groups attended: the chair must record why the "
                "conference went ahead"
            ),
        )
    return QuorumCheck(
        groups,
        False,
        False,
        _("At least 3 agencies or professional groups must attend for the conference to decide"),
    )
