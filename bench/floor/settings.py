"""The product's settings, serving bench.floor.urls: used by bench/returns_api.py's server only."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.floor.urls"
