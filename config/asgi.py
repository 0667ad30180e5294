"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

from config.checks import refuse_to_serve

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

refuse_to_serve()  # ASGI servers run no system checks: refuse DEBUG off with the development key

application = get_asgi_application()
