"""The product's settings, serving bench.floor.urls: used by the servers of bench/returns_api.py and bench/load.py only."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.floor.urls"
