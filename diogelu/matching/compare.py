"""Field comparisons: each pair of prepared records gets one level per field.

Levels are exclusive and tried in order; level 0 always means "not recorded on one or both", which
carries no weight either way. The labels are what a practitioner reads in an explanation, so they
say what was found in plain English, not how it was computed.
"""

from __future__ import annotations

import dataclasses

from rapidfuzz.distance import OSA, JaroWinkler
from rapidfuzz.fuzz import token_set_ratio

from diogelu.matching.names import given_name_groups, misspelt_given_name_groups
from diogelu.matching.normalise import YearOnly
from diogelu.matching.record import Prepared


@dataclasses.dataclass(frozen=True, slots=True)
class FieldSpec:
    """A compared field: its name, the plain-English labels of its levels, and which level (if
    any) gets a term-frequency adjustment (an exact match on a rare value counts for more)."""

    name: str
    title: str
    levels: tuple[str, ...]
    tf_level: int | None = None


# Postcode and address are compared together, as one field with a level for each combination:
# they move together, so counting them as two independent fields would count a household twice.
_POSTCODE_PARTS = (
    "same postcode",
    "same postcode sector",
    "same postcode district",
    "different postcode",
    "no postcode on one or both",
)
_ADDRESS_PARTS = (
    "same address",
    "address partly the same",
    "different address",
    "no address on one or both",
)
ADDRESS_LEVELS: tuple[str, ...] = (
    "not recorded on one or both",
    *tuple(
        f"{pc}, {ad}"
        for pc in _POSTCODE_PARTS
        for ad in _ADDRESS_PARTS
        if not (pc.startswith("no ") and ad.startswith("no "))
    ),
)

FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "given_name",
        "First name",
        (
            "not recorded on one or both (or a placeholder such as 'Baby')",
            "the same",
            "a known variant (a nickname, or the Welsh and English forms)",
            "first name and surname swapped round",
            "spelt almost the same (one letter different)",
            "matches a middle name or other name",
            "spelt similarly, sounds alike, or one is a short form of the other",
            "one is an initial of the other",
            "different",
        ),
        tf_level=1,
    ),
    FieldSpec(
        "family_name",
        "Surname",
        (
            "not recorded on one or both",
            "the same",
            "one part of a double-barrelled surname matches",
            "a known variant (Welsh and English forms)",
            "matches a previous or other name",
            "first name and surname swapped round",
            "spelt almost the same (one letter different)",
            "spelt similarly or sounds alike",
            "different",
        ),
        tf_level=1,
    ),
    FieldSpec(
        "date_of_birth",
        "Date of birth",
        (
            "not recorded on one or both",
            "the same",
            "the same, but it is 1 January (often typed when the real date is unknown)",
            "day and month swapped",
            "one digit different or two digits swapped (a likely typing error)",
            "same year, and one date is 1 January (a likely placeholder)",
            "within a month",
            "within a year",
            "within five years",
            "different",
            "a generation apart (more than 12 years)",
        ),
    ),
    FieldSpec("sex", "Sex", ("not recorded on one or both", "the same", "different")),
    FieldSpec("address", "Address", ADDRESS_LEVELS),
    FieldSpec(
        "other_names",
        "Middle and other names",
        (
            "not recorded on one or both",
            "share a middle name, alias or previous name",
            "different",
        ),
    ),
    FieldSpec(
        "nhs_number",
        "NHS number",
        ("not recorded (or not valid) on one or both", "the same", "different"),
    ),
    FieldSpec(
        "upn",
        "Unique pupil number",
        ("not recorded (or not valid) on one or both", "the same", "different"),
    ),
    FieldSpec(
        "identifier",
        "Other identifier",
        ("not recorded on one or both", "the same", "different"),
    ),
)
# Positions in a comparison vector.
GIVEN, FAMILY, DOB, SEX, ADDRESS, OTHER, NHS, UPN, IDENT = range(9)
FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)
FIELD_INDEX: dict[str, int] = {f.name: i for i, f in enumerate(FIELDS)}

_jw = JaroWinkler.normalized_similarity
_osa = OSA.distance


_alike_cache: dict[tuple[str, str], bool] = {}
_CACHE_LIMIT = 1 << 18


def _alike(x: str, y: str) -> bool:
    if x == y:
        return True
    key = (x, y)
    alike = _alike_cache.get(key)
    if alike is None:
        if len(_alike_cache) >= _CACHE_LIMIT:
            _alike_cache.clear()
        alike = _alike_cache[key] = _jw(x, y, score_cutoff=0.9) >= 0.9
    return alike


def swapped(a: Prepared, b: Prepared) -> tuple[bool, bool]:
    """Which name fields show the first name and surname entered the other way round, as
    (first name, surname); (False, False) when they were not.

    Both, when each record's first name is the other's surname. When one pairing only can be
    made (on one side, perhaps only one of the names recorded), one name agrees, and it is
    counted once: in the field both records hold ("Pritchard Nia" and a "Nia" with no surname:
    the first name; the surname is not recorded on one), or as the first name when neither
    field is held by both. Counting one name in both fields would weigh it twice, more than a
    first name and surname that agree in place.
    (Written so that swapped(a, b) == swapped(b, a).)"""
    left = bool(a.g and b.f) and _alike(a.g, b.f)
    right = bool(a.f and b.g) and _alike(a.f, b.g)
    if left and right:
        return True, True
    # One pairing only: a swap only if the names do not already agree the usual way round.
    if left and not (a.f and b.g) and a.g != b.g and a.f != b.f:
        # a's first name is b's surname; a has no surname or b no first name.
        given = bool(b.g) or not a.f
        return given, not given
    if right and not (a.g and b.f) and a.g != b.g and a.f != b.f:
        # a's surname is b's first name; a has no first name or b no surname.
        given = bool(a.g) or not b.f
        return given, not given
    return False, False


def _similar(x: str, y: str, x_sound: str, y_sound: str) -> bool:
    """Spelt similarly (typing errors), sounds alike, or one is a short form of the other."""
    if x_sound and x_sound == y_sound:
        return True
    if len(x) >= 3 and len(y) >= 3 and (x.startswith(y) or y.startswith(x)):
        return True
    if min(len(x), len(y)) >= 5 and _osa(x, y, score_cutoff=2) <= 2:
        return True
    return _jw(x, y, score_cutoff=0.82) >= 0.82


# Caches of the name comparisons that depend only on the two names (not on the rest of the
# records): a file or an index holds few distinct names, and each pair of them recurs in many
# candidate pairs. Bounded: cleared when full.
_given_cache: dict[tuple[str, str], int] = {}
_family_cache: dict[tuple[str, str], int] = {}
_address_cache: dict[tuple[str, str], int] = {}


def _given_rest(a: Prepared, b: Prepared) -> int:
    """Levels 2, 4, 6, 7 or 8 for two different recorded first names (everything that depends
    on the two names alone; level 5, a middle or other name, is decided by the caller).

    Level 7 is an initial that matches the other name ("J" and "John"): noise, not evidence of a
    different person. Two full names that only share their first letter (Osian and Owen, twins)
    are different names (level 8)."""
    ag, bg = a.g, b.g
    # The table's groups, not the records': a record may also carry groups learned from its
    # file (``variants``), and this result is cached by the two names alone.
    ga, gb = given_name_groups(ag), given_name_groups(bg)
    if ga & gb:
        return 2
    if _osa(ag, bg, score_cutoff=1) <= 1 and min(len(ag), len(bg)) > 2:
        return 4
    if _similar(ag, bg, a.g_mp, b.g_mp):
        return 6
    if (misspelt_given_name_groups(ag) & gb) or (ga & misspelt_given_name_groups(bg)):
        return 6  # a mistyped variant: "thonas" (Thomas) and Tom (ADR 0800)
    if ag[0] == bg[0] and (len(ag) == 1 or len(bg) == 1):
        return 7
    return 8


def _family_rest(a: Prepared, b: Prepared) -> int:
    """Levels 2, 3, 6, 7 or 8 for two different recorded surnames (level 4, a previous or other
    name, is decided by the caller)."""
    af, bf = a.f, b.f
    if (len(a.f_tokens) > 1 or len(b.f_tokens) > 1) and set(a.f_tokens) & set(b.f_tokens):
        return 2
    if a.f_groups and (a.f_groups & b.f_groups):
        return 3
    if _osa(af, bf, score_cutoff=1) <= 1 and min(len(af), len(bf)) > 3:
        return 6
    if _similar(af, bf, a.f_mp, b.f_mp):
        return 7
    return 8


ALIKE_GIVEN_NAMES = 6
DIFFERENT_GIVEN_NAMES = 8


def table_given_level(a: Prepared, b: Prepared) -> int:
    """The level of two different recorded first names from the name table, spelling and sound
    alone (cached by the two names): what ``variants`` learns from."""
    key = (a.g, b.g)
    level = _given_cache.get(key)
    if level is None:
        if len(_given_cache) >= _CACHE_LIMIT:
            _given_cache.clear()
        level = _given_cache[key] = _given_rest(a, b)
    return level


def _given_level(a: Prepared, b: Prepared, swap: bool) -> int:
    ag, bg = a.g, b.g
    if ag and ag == bg:
        return 1
    if swap:
        return 3
    if not ag or not bg:
        return 0
    level = table_given_level(a, b)
    if level > 4 and (ag in b.other or bg in a.other):
        return 5
    if level == DIFFERENT_GIVEN_NAMES and a.g_groups & b.g_groups:
        return 2  # a variant learned from this file (``variants``, ADR 0813)
    if level == ALIKE_GIVEN_NAMES and bg in a.g_apart:
        # Alike names this file shows to be two (Owain and Osian; ``variants.learn_distinct``).
        return DIFFERENT_GIVEN_NAMES
    return level


def _family_level(a: Prepared, b: Prepared, swap: bool) -> int:
    af, bf = a.f, b.f
    if af and af == bf:
        return 1
    if swap:
        return 5
    if not af or not bf:
        return 0
    key = (af, bf)
    level = _family_cache.get(key)
    if level is None:
        if len(_family_cache) >= _CACHE_LIMIT:
            _family_cache.clear()
        level = _family_cache[key] = _family_rest(a, b)
    if level > 3 and (
        af in b.other
        or bf in a.other
        or not a.other.isdisjoint(b.f_tokens)
        or not b.other.isdisjoint(a.f_tokens)
    ):
        return 4
    return level


def compare_given(a: Prepared, b: Prepared) -> int:
    ag, bg = a.g, b.g
    return _given_level(a, b, not (ag and ag == bg) and swapped(a, b)[0])


def compare_family(a: Prepared, b: Prepared) -> int:
    af, bf = a.f, b.f
    return _family_level(a, b, not (af and af == bf) and swapped(a, b)[1])


def compare_dob(a: Prepared, b: Prepared) -> int:
    ad, bd = a.dob, b.dob
    if ad is None or bd is None:
        return 0
    if ad == bd:
        return 2 if a.dob_ph else 1
    if ad.year == bd.year and ad.day == bd.month and ad.month == bd.day:
        return 3
    if (a.dob_ph or b.dob_ph) and (type(ad) is YearOnly or type(bd) is YearOnly):
        # Only the year of a mistyped date: its year agrees, or it says nothing.
        return 5 if ad.year == bd.year else 0
    if _osa(a.dob_s, b.dob_s, score_cutoff=1) <= 1:
        return 4
    if ad.year == bd.year and (a.dob_ph or b.dob_ph):
        return 5
    days = abs((ad - bd).days)
    if days <= 31:
        return 6
    if days <= 366:
        return 7
    if days <= 1827:
        return 8
    if days <= 4383 or _mistyped_year(a.dob_s, b.dob_s):
        return 9
    return 10


def _mistyped_year(x: str, y: str) -> bool:
    """Dates far apart that typing explains: one digit of the year and at most one other digit
    differ (1856-08-17 and 1826-08-14). A parent's and a child's birthdays rarely do; so such
    dates are "different", not "a generation apart" (ADR 0800)."""
    differ = [i for i in range(8) if x[i] != y[i]]
    return len(differ) <= 2 and sum(1 for i in differ if i < 4) == 1


def compare_sex(a: Prepared, b: Prepared) -> int:
    if a.sex is None or b.sex is None:
        return 0
    return 1 if a.sex == b.sex else 2


def _postcode_part(a: Prepared, b: Prepared) -> int:
    ap, bp = a.pc, b.pc
    if not ap or not bp:
        return 4
    if ap == bp:
        return 0
    if a.pc_sector == b.pc_sector and " " in ap and " " in bp:
        return 1
    if a.pc_district == b.pc_district:
        return 2
    return 3


def _address_part(a: Prepared, b: Prepared) -> int:
    aa, ba = a.addr, b.addr
    if not aa or not ba:
        return 3
    if aa == ba:
        return 0
    key = (aa, ba)
    level = _address_cache.get(key)
    if level is None:
        if len(_address_cache) >= _CACHE_LIMIT:
            _address_cache.clear()
        score = token_set_ratio(aa, ba, score_cutoff=70)
        level = _address_cache[key] = 0 if score >= 90 else 1 if score >= 70 else 2
    return level


def compare_address(a: Prepared, b: Prepared) -> int:
    """Postcode and address as one field (see ``ADDRESS_LEVELS``)."""
    pc = _postcode_part(a, b)
    ad = _address_part(a, b)
    if pc == 4 and ad == 3:
        return 0
    return 1 + pc * 4 + ad


def compare_other(a: Prepared, b: Prepared) -> int:
    """Level 1 when the two share a middle or other name; 2 when their other names differ; 0 when
    one has none, or when they agree only as far as an initial goes ("J" and "Jacqueline": a
    register that keeps middle initials beside one that keeps middle names), which is no
    evidence either way."""
    if not a.extra or not b.extra:
        return 0
    if not a.extra.isdisjoint(b.extra):
        return 1
    if _initial_agrees(a.extra, b.extra) or _initial_agrees(b.extra, a.extra):
        return 0
    return 2


def _initial_agrees(initials: frozenset[str], names: frozenset[str]) -> bool:
    """Is every other name of one record an initial, and each the first letter of a name of the
    other's?"""
    return all(len(t) == 1 for t in initials) and all(
        any(n[0] == t for n in names) for t in initials
    )


def compare_nhs(a: Prepared, b: Prepared) -> int:
    if a.nhs is None or b.nhs is None:
        return 0
    return 1 if a.nhs == b.nhs else 2


def compare_upn(a: Prepared, b: Prepared) -> int:
    if a.upn is None or b.upn is None:
        return 0
    return 1 if a.upn == b.upn else 2


def compare_identifier(a: Prepared, b: Prepared) -> int:
    if a.ident is None or b.ident is None:
        return 0
    return 1 if a.ident == b.ident else 2


def comparison_vector(a: Prepared, b: Prepared) -> tuple[int, ...]:
    """The level of every field in ``FIELDS`` order."""
    ag, af = a.g, a.f
    # Whether the names were swapped round is asked at most once per pair.
    if ag and ag == b.g and af and af == b.f:
        swap_given = swap_family = False
    else:
        swap_given, swap_family = swapped(a, b)
    return (
        _given_level(a, b, swap_given),
        _family_level(a, b, swap_family),
        compare_dob(a, b),
        compare_sex(a, b),
        compare_address(a, b),
        compare_other(a, b),
        compare_nhs(a, b),
        compare_upn(a, b),
        compare_identifier(a, b),
    )
