"""Domain errors raised by services in every app; the API and the views map them to responses."""


class DomainError(Exception):
    """A rule of the domain was broken; the message says what to fix."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None, **extra) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra


class ValidationFailed(DomainError):
    """Bad input (400). `errors` maps field names to lists of messages."""

    def __init__(self, errors: dict[str, list[str]] | str, /, **extra) -> None:
        if isinstance(errors, str):
            errors = {"non_field_errors": [errors]}
        self.errors = errors
        first = next(iter(errors.values()))[0]
        super().__init__(first, **extra)


class NotPermitted(DomainError):
    """The user may not do this (403)."""

    status_code = 403


class NotFound(DomainError):
    """The object does not exist or is invisible to the user (404)."""

    status_code = 404


class Conflict(DomainError):
    """The request conflicts with the current state (409), e.g. a duplicate or a locked record."""

    status_code = 409
