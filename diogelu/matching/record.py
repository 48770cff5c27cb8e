"""The record the engine matches, and its prepared (normalised, pre-computed) form."""

from __future__ import annotations

import dataclasses
import datetime as dt
from functools import lru_cache

import jellyfish

from diogelu.matching.names import given_name_groups, surname_groups
from diogelu.matching.normalise import (
    GIVEN_NOISE_ALSO_NAMES,
    MAX_FIELD_CHARS,
    dob_key,
    fold,
    is_placeholder_date,
    is_placeholder_family_name,
    is_placeholder_given_name,
    is_role_given_name,
    name_tokens,
    normalise_identifier,
    normalise_nhs_number,
    normalise_postcode,
    normalise_sex,
    normalise_upn,
    postcode_parts,
)


@dataclasses.dataclass(frozen=True, slots=True)
class Record:
    """One person as a source system holds them. Every field but ``record_id`` may be missing.

    ``given_name`` may hold several forenames ("Mary Jane"): the first is the one compared as the
    first name, the rest count as middle names. ``other_names`` holds aliases and previous names
    (a surname before marriage or adoption, a name the child is known by), whole or in parts.
    """

    record_id: str
    given_name: str | None = None
    family_name: str | None = None
    other_names: tuple[str, ...] = ()
    date_of_birth: dt.date | None = None
    sex: str | None = None
    postcode: str | None = None
    address: str | None = None
    nhs_number: str | None = None
    upn: str | None = None
    # Any other identifier the source holds for the person: a national insurance or social
    # security number, a local system's client number, an e-mail address (ADR 0814).
    identifier: str | None = None


class Prepared:
    """A record normalised once, so each comparison is cheap. Treat as immutable."""

    __slots__ = (
        "addr",
        "baby",
        "dob",
        "dob_ph",
        "dob_s",
        "extra",
        "f",
        "f_groups",
        "f_mp",
        "f_tokens",
        "g",
        "g_apart",
        "g_groups",
        "g_mp",
        "ident",
        "nhs",
        "other",
        "pc",
        "pc_district",
        "pc_sector",
        "record",
        "rid",
        "sex",
        "upn",
    )

    rid: str
    record: Record
    g: str
    g_groups: frozenset[int]
    # First names alike to this one (the comparison's level 6) that the file being matched shows
    # to be other names, not this one written another way (``variants.learn_distinct``).
    g_apart: frozenset[str]
    g_mp: str
    baby: bool
    f: str
    f_tokens: tuple[str, ...]
    f_groups: frozenset[int]
    f_mp: str
    other: frozenset[str]
    extra: frozenset[str]
    dob: dt.date | None
    dob_s: str
    dob_ph: bool
    sex: str | None
    pc: str | None
    pc_sector: str
    pc_district: str
    addr: str
    nhs: str | None
    upn: str | None
    ident: str | None


@lru_cache(maxsize=1 << 16)
def sound(token: str) -> str:
    return jellyfish.metaphone(token) if token else ""


# Names, sexes and postcodes repeat from record to record: each distinct value is normalised once
# (bounded caches; the functions are pure).
_CACHE = 1 << 16


@lru_cache(maxsize=_CACHE)
def _given(text: str | None) -> tuple[bool, tuple[str, ...]]:
    baby = is_placeholder_given_name(text)
    return baby, () if baby or is_role_given_name(text) else name_tokens(
        text, GIVEN_NOISE_ALSO_NAMES
    )


_NONE: frozenset[str] = frozenset()
_name_tokens = lru_cache(maxsize=_CACHE)(name_tokens)
_placeholder_family = lru_cache(maxsize=_CACHE)(is_placeholder_family_name)
_sex = lru_cache(maxsize=256)(normalise_sex)


@lru_cache(maxsize=_CACHE)
def _postcode(text: str | None) -> tuple[str | None, str, str]:
    pc = normalise_postcode(text)
    if not pc:
        return pc, "", ""
    _, district, sector = postcode_parts(pc)
    return pc, district, sector


@lru_cache(maxsize=_CACHE)
def _address(text: str) -> str:
    return fold(text[:MAX_FIELD_CHARS])


def prepare(record: Record) -> Prepared:
    """Normalise a record for blocking and comparison."""
    p = Prepared()
    p.rid = record.record_id
    p.record = record
    p.baby, given = _given(record.given_name)
    p.g = given[0] if given else ""
    p.g_groups = given_name_groups(p.g)
    p.g_apart = _NONE
    p.g_mp = sound(p.g)
    family = () if _placeholder_family(record.family_name) else _name_tokens(record.family_name)
    p.f_tokens = family
    p.f = " ".join(family)
    p.f_groups = surname_groups(p.f) if len(family) <= 1 else frozenset()
    p.f_mp = sound(family[-1]) if family else ""
    other: set[str] = set(given[1:])
    for name in record.other_names[:20]:
        other.update(_name_tokens(name))
    if len(family) > 1:
        other.update(family)
    p.other = frozenset(other)
    p.extra = p.other.difference(given[:1], family)
    p.dob = record.date_of_birth
    p.dob_s = dob_key(record.date_of_birth) if record.date_of_birth else ""
    p.dob_ph = bool(record.date_of_birth and is_placeholder_date(record.date_of_birth))
    p.sex = _sex(record.sex)
    p.pc, p.pc_district, p.pc_sector = _postcode(record.postcode)
    p.addr = _address(record.address) if record.address else ""
    p.nhs = normalise_nhs_number(record.nhs_number)
    p.upn = normalise_upn(record.upn)
    p.ident = normalise_identifier(record.identifier)
    return p
