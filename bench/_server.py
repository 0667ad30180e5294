"""Shared by the benchmarks: a fresh PostgreSQL database and a gunicorn server on 127.0.0.1."""

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")


def fresh_database(name: str) -> str:
    """Drop and create database `name`, migrate it, and return its URL."""
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env(url, DEBUG="true"), check=True)
    return url


def setup_django_on_fresh_database(name: str) -> None:
    """For a benchmark that runs the code in its own process: a fresh database, then Django."""
    print(f"Preparing a fresh PostgreSQL database ({name})...", flush=True)
    os.environ["DATABASE_URL"] = fresh_database(name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def env(database_url: str, **extra: str) -> dict:
    return {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings", **extra}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(database_url: str, workers: int = 4, args: tuple[str, ...] = (), **extra_env: str):
    """Run the app under gunicorn on 127.0.0.1 for the duration of the block (`args` are passed
    to gunicorn as they are, e.g. make serve's --timeout and --max-requests)."""
    port = free_port()
    process = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers),
         "--log-level", "warning", *args],
        cwd=ROOT, env=env(database_url, **{"DEBUG": "true", **extra_env}),
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start within 30 s")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)
