"""WSGI entry point (gunicorn config.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application
from django.db import connections

from config.checks import refuse_to_serve

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

refuse_to_serve()  # gunicorn runs no system checks: refuse DEBUG off with the development key

application = get_wsgi_application()

# gunicorn imports this once in its master and forks the workers from it (config/gunicorn_conf.py):
# a database connection opened while loading would be shared by every worker.
connections.close_all()
