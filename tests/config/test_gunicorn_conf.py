"""make serve's gunicorn settings (config/gunicorn_conf.py): the app is loaded once in the master,
so a worker replaced after its max_requests is a fork, and it answers with a database connection
of its own."""

import os
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]


def workers_of(master: int) -> set[int]:
    """The worker processes gunicorn's master has now."""
    pids = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while we looked
            continue
        if int(fields[1]) == master:
            pids.add(int(stat.parent.name))
    return pids


def test_workers_replaced_after_their_max_requests_keep_answering(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "ENV_FILE": str(tmp_path / "no.env"),
    }
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--config", "config/gunicorn_conf.py",
         "--bind", f"127.0.0.1:{port}", "--workers", "2", "--max-requests", "3", "--max-requests-jitter", "0"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    health = f"http://127.0.0.1:{port}/healthz"
    try:
        deadline = time.monotonic() + 120
        while len(workers_of(server.pid)) < 2 or not _answers(health):
            assert server.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        # the master loaded the app (and with it the database driver) before forking the workers
        assert "_sqlite3" in Path(f"/proc/{server.pid}/maps").read_text()
        first = workers_of(server.pid)
        # each request a new connection; the health check reads the database
        codes = [requests.get(health, timeout=30).status_code for _ in range(20)]
        assert codes == [200] * 20
        deadline = time.monotonic() + 30
        while first & workers_of(server.pid) == first:  # 20 requests, 3 each: some worker was replaced
            assert time.monotonic() < deadline, "no worker was replaced"
            time.sleep(0.2)
        assert server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=30)


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=5).status_code == 200
    except requests.RequestException:
        return False
