"""The sign-in limits hold across gunicorn workers: two workers sharing one cache (a file cache
here; Redis or the database cache in production) count one account's failures together."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a long enough passphrase"


@pytest.fixture
def two_workers(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CACHE_URL": f"filecache://{tmp_path / 'cache'}",
        "MFA_REQUIRED": "false",
    }
    env.pop("ENV_FILE", None)
    env["ENV_FILE"] = str(tmp_path / "no.env")
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=600)  # noqa: S603
    create = (
        "from django.contrib.auth import get_user_model;"
        f"get_user_model().objects.create_user('worker-test', 'w@example.org', {PASSWORD!r})"
    )
    subprocess.run([python, "manage.py", "shell", "-c", create], cwd=ROOT, env=env, check=True, timeout=300)  # noqa: S603
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [python, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--timeout", "120"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                if requests.get(f"{base}/healthz", timeout=30).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                pytest.fail("gunicorn did not start")
            time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_failures_count_together_across_two_workers(two_workers):
    base = two_workers
    url = f"{base}/api/auth/token/"
    codes = []
    for _ in range(5):
        # a new connection each time, so that either worker may answer
        codes.append(requests.post(url, json={"username": "worker-test", "password": "wrong"}, timeout=60).status_code)
    assert codes == [400] * 5
    response = requests.post(url, json={"username": "WORKER-TEST", "password": PASSWORD}, timeout=60)
    assert response.status_code == 429, response.text
    # the right password from a fresh connection is refused too, whichever worker answers
    for _ in range(3):
        assert requests.post(url, json={"username": "worker-test", "password": PASSWORD}, timeout=60).status_code == 429
