"""Domain errors: services raise them, views show them as GOV.UK errors, the API as problem+json."""

from __future__ import annotations


class DomainError(Exception):
    """A practice rule was broken; the message is safe to show to the user."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None, item: object = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        #: For a list of things decided together (a decision per child), the one at fault.
        self.item = item


class InvalidAnswersError(DomainError):
    """Several answers broke practice rules at once: every one is named (``errors``: field →
    messages). ``message`` and ``field`` are the first, for callers that show one."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        field, messages = next(iter(errors.items()))
        super().__init__(messages[0], field=field)
        self.errors = errors


class StaleEditError(DomainError):
    """Someone else changed the record since the editor loaded it."""

    status_code = 409


class NotPermittedError(DomainError):
    """The actor may see the record but may not take this action on it."""

    status_code = 403
