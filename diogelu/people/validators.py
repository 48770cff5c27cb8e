"""Validation of identifiers: NHS number, Unique Pupil Number, UK postcode."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # 23 letters: no I, O or S
_POSTCODE_RE = re.compile(
    r"^(GIR ?0AA|[A-PR-UWYZ]"
    r"(?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9][ABEHMNPRVWXY])"
    r" ?[0-9][ABD-HJLNP-UW-Z]{2})$"
)


def normalise_nhs_number(value: str) -> str:
    """Digits only: ``"943 476 5919"`` → ``"9434765919"``."""
    return re.sub(r"[\s-]", "", value or "")


def nhs_number_is_valid(value: str) -> bool:
    """True for a 10-digit NHS number whose modulus 11 check digit is right."""
    digits = normalise_nhs_number(value)
    if not re.fullmatch(r"\d{10}", digits):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - (total % 11)
    if check == 11:
        check = 0
    if check == 10:
        return False
    return check == int(digits[9])


def validate_nhs_number(value: str) -> None:
    digits = normalise_nhs_number(value)
    if not re.fullmatch(r"\d{10}", digits):
        raise ValidationError(_("Enter an NHS number with 10 digits, like 943 476 5919"))
    if not nhs_number_is_valid(digits):
        raise ValidationError(_("Enter a real NHS number: the check digit does not match"))


def upn_check_letter(body: str) -> str:
    """The check letter for the last 12 characters of a UPN (DfE algorithm, weights 2 to 13)."""
    total = 0
    for weight, char in enumerate(body, start=2):
        if char.isdigit():
            total += int(char) * weight
        else:
            total += _UPN_LETTERS.index(char) * weight
    return _UPN_LETTERS[total % 23]


def normalise_upn(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


def upn_is_valid(value: str) -> bool:
    """True for a 13-character UPN (permanent, or temporary: final letter) with a good check."""
    upn = normalise_upn(value)
    if not re.fullmatch(rf"[{_UPN_LETTERS}]\d{{11}}[0-9{_UPN_LETTERS}]", upn):
        return False
    return upn[0] == upn_check_letter(upn[1:])


def validate_upn(value: str) -> None:
    upn = normalise_upn(value)
    if len(upn) != 13:
        raise ValidationError(_("Enter a Unique Pupil Number of 13 characters, like A801200301001"))
    if not upn_is_valid(upn):
        raise ValidationError(
            _("Enter a real Unique Pupil Number: the check letter does not match")
        )


def normalise_postcode(value: str) -> str:
    """Upper case with one space before the inward code: ``"cf311aa"`` → ``"CF31 1AA"``."""
    compact = re.sub(r"\s", "", value or "").upper()
    if len(compact) < 5:
        return compact
    return f"{compact[:-3]} {compact[-3:]}"


def validate_postcode(value: str) -> None:
    if not _POSTCODE_RE.match(normalise_postcode(value)):
        raise ValidationError(_("Enter a real postcode, like CF31 4AB"))
