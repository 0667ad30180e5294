"""Project configuration: settings, root URLs, WSGI/ASGI entry points, the admin site.

Importing the package registers config.checks' system checks (no settings are read until a
check runs)."""

from config import checks  # noqa: F401 - registers the system checks
