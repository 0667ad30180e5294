"""Logging filters: a refused request is logged as one line, not a traceback."""

import logging

from django.core.exceptions import PermissionDenied


class OneLineForbidden(logging.Filter):
    """Django logs a 403 raised as PermissionDenied with the exception's traceback, so every
    refused page (a provider following a link to a commissioners' page, say) printed a traceback
    in the server log as if it were a fault. A refusal is expected: keep one line with the path,
    the user and the reason, and no traceback. Other records pass untouched."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, PermissionDenied):
            request = getattr(record, "request", None)
            user = getattr(request, "user", None)
            who = user.get_username() if user is not None and user.is_authenticated else "anonymous"
            reason = str(exc)
            record.msg = f"{record.getMessage()} (user {who}){': ' + reason if reason else ''}"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        return True
