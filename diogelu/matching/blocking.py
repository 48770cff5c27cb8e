"""Blocking keys: which records are worth comparing at all.

Each record gets a handful of compound keys; two records are compared if they share one. The keys
are chosen so that one error in any single field still leaves a shared key (a mistyped date of
birth still shares the name keys; a new surname still shares the date of birth key), and so that no
key is so common that its block is large: blocks over a cap are skipped, and the other keys carry
the weight.
"""

from __future__ import annotations

from diogelu.matching.normalise import swapped_day_month
from diogelu.matching.record import Prepared, sound


def given_keys(p: Prepared) -> list[str]:
    """Keys for a first name: its equivalence groups (so Dai and Dafydd meet) and its sound."""
    keys = [f"G{group}" for group in sorted(p.g_groups)]
    if p.g_mp:
        keys.append(p.g_mp)
    return keys


def family_keys(p: Prepared) -> list[str]:
    """Keys for a surname: the sound of each part of it (a double-barrelled name meets either)."""
    keys: set[str] = set()
    for group in p.f_groups:
        keys.add(f"S{group}")
    if p.f_mp:
        keys.add(p.f_mp)
    if len(p.f_tokens) > 1:
        keys.update(sound(t) for t in p.f_tokens)
    return sorted(keys)


def blocking_keys(p: Prepared) -> list[str]:
    """The keys a record is filed under (and looked up by).

    Surname-like keys use the surname, each part of a double-barrelled surname, previous and
    other names, and (when there is no surname) the first name, since a record holding one name
    often holds it in the wrong field.
    """
    keys: list[str] = []
    if p.nhs:
        keys.append("n" + p.nhs)
    if p.upn:
        keys.append("u" + p.upn)
    if p.ident:
        keys.append("i" + p.ident)
    gks = given_keys(p)
    fks = family_keys(p)
    for other in sorted(p.other)[:4]:
        s = sound(other)
        if s and s not in fks:
            fks.append(s)
    if not p.f and p.g_mp:
        fks.append(p.g_mp)
    initial = p.g[:1]
    year = p.dob_s[:4]
    if p.dob is not None:
        keys.append("d" + p.dob_s)
        swapped = swapped_day_month(p.dob)
        if swapped is not None:
            keys.append("d" + swapped.strftime("%Y%m%d"))
    for f in fks:
        if year:
            keys.append(f"fy{f}|{year}")
        if initial:
            keys.append(f"fi{f}|{initial}")
        if p.pc_sector:
            keys.append(f"fp{f}|{p.pc_sector}")
        for g in gks:
            # With the first name's sound, in either order: a record with its first name and
            # surname swapped round meets the record with them in place.
            keys.append(f"fg{g}|{f}" if g == p.g_mp and g < f else f"fg{f}|{g}")
    for g in gks:
        if p.pc_district:
            keys.append(f"gp{g}|{p.pc_district}")
        if year:
            keys.append(f"gy{g}|{year}")
    if p.pc and " " in p.pc:
        keys.append("p" + p.pc)
    # Identical records always meet, whatever else they lack.
    keys.append(f"x{p.g}|{p.f}|{p.dob_s}|{p.pc}|{p.sex}|{p.addr[:40]}")
    return keys
