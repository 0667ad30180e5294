"""Run the test identity provider: `python -m tests.idp.serve CONFIG.json`.

CONFIG names a fresh SQLite file, the RSA private key (PEM) to sign ID tokens with, the
directory file of people and the OAuth clients (client_id, secret, redirect_uris). The server
migrates its database, creates the people and clients, listens on a free port on 127.0.0.1 and
prints `listening on PORT` once it accepts connections; it stops when its parent closes stdin
or on SIGTERM."""

import json
import os
import sys
import threading
from pathlib import Path


def _prepare(config: dict) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from oauth2_provider.models import Application

    from tests.idp.claims import directory

    call_command("migrate", verbosity=0)
    for username, person in directory().items():
        get_user_model().objects.create_user(username, person["email"], person["password"])
    for client in config["clients"]:
        Application.objects.create(
            name=client["client_id"],
            client_id=client["client_id"],
            client_secret=client["secret"],
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=" ".join(client["redirect_uris"]),
            algorithm=Application.RS256_ALGORITHM,
            skip_authorization=True,  # no consent page: the council's own application
        )


def main(config_path: str) -> None:
    os.environ["IDP_CONFIG"] = config_path
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.idp.settings"
    import django

    django.setup()
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    _prepare(json.loads(Path(config_path).read_text()))

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 (the standard library's name)
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler)
    server.set_app(get_wsgi_application())
    threading.Thread(target=lambda: (sys.stdin.read(), server.shutdown()), daemon=True).start()
    print(f"listening on {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1])
