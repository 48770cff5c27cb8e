"""A password validator that refuses passwords published in data breaches, offline.

The list is the 30,000 most common passwords of the leaked-password corpus that the maintained
``zxcvbn`` package (MIT licence) bundles as its ``passwords`` frequency list, so no network call
and no password or hash prefix ever leaves the server. Django's ``CommonPasswordValidator`` (its
own 20,000-password list) stays in ``AUTH_PASSWORD_VALIDATORS`` beside it.

Besides the password itself (case ignored), it refuses the usual dressing of a breached password:
digits and symbols added before or after it ("Password2026!") and the same word twice
("summersummer").
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_DRESSING = re.compile(r"^[\W\d_]*(?P<stem>.*?)[\W\d_]*$")
MIN_STEM = 6


@lru_cache(maxsize=1)
def breached_passwords() -> frozenset[str]:
    """The bundled list, loaded once."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(word.lower() for word in FREQUENCY_LISTS["passwords"])


def is_breached(password: str) -> bool:
    """True when the password, or its word stripped of digits and symbols, is on the list."""
    known = breached_passwords()
    lowered = password.lower()
    if lowered in known:
        return True
    match = _DRESSING.match(lowered)
    stem = match.group("stem") if match else lowered
    if len(stem) >= MIN_STEM and stem in known:
        return True
    half = len(stem) // 2
    return half >= MIN_STEM // 2 and stem[:half] == stem[half:] and stem[:half] in known


class BreachedPasswordValidator:
    """Refuse a password that appears in lists published after data breaches."""

    def validate(self, password: str, user: Any = None) -> None:
        if is_breached(password):
            raise ValidationError(
                _(
                    "This password has been published after a data breach, so it is easy to "
                    "guess. Choose a different password"
                ),
                code="password_breached",
            )

    def get_help_text(self) -> str:
        return _("Your password must not be one published after a data breach.")
