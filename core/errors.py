"""Domain errors raised by services in every app; the API and the views map them to responses.

A message says what is wrong in words that hold on every channel (the API, the web pages, the
admin, the Excel upload): no HTTP methods, addresses or links. Each channel adds its own way to
act on it, found by the error's `code` (the API's "amend it with PATCH /api/returns/14/", the
web form's "amend it here" link). `field` names the one field the error concerns, if there is
one; `extra` carries the facts a client needs, such as `existing_id`.
"""


class DomainError(Exception):
    """A rule of the domain was broken; the message says what to fix."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None, **extra) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
        self.extra = extra

    def as_field_errors(self, message: str | None = None) -> dict[str, list[str]]:
        """As one item's errors in a batch: the message (or the channel's version of it) on its
        field or on the whole item, and each extra as a string, e.g.
        {"non_field_errors": ["…"], "existing_id": ["14"]}."""
        body = {self.field or "non_field_errors": [self.message if message is None else message]}
        return body | {name: [str(value)] for name, value in self.extra.items()}


class ValidationFailed(DomainError):
    """Bad input (400). `errors` maps field names to lists of messages."""

    def __init__(self, errors: dict[str, list[str]] | str, /, **extra) -> None:
        if isinstance(errors, str):
            errors = {"non_field_errors": [errors]}
        self.errors = errors
        first = next(iter(errors.values()))[0]
        super().__init__(first, **extra)

    def as_field_errors(self, message: str | None = None) -> dict[str, list[str]]:
        return self.errors


class NotPermitted(DomainError):
    """The user may not do this (403)."""

    status_code = 403


class NotFound(DomainError):
    """The object does not exist or is invisible to the user (404)."""

    status_code = 404


class Conflict(DomainError):
    """The request conflicts with the current state (409), e.g. a duplicate or a locked record."""

    status_code = 409


def field_errors(item: DomainError | dict[str, list[str]]) -> dict[str, list[str]]:
    """One batch item's errors as plain field errors, whether a service's refusal or the errors
    of input that could not be parsed."""
    return item.as_field_errors() if isinstance(item, DomainError) else item
