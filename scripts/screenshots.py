"""Screenshots of every main page, for each role, at 1280 and 390 CSS pixels wide, into
docs/screenshots/ (PNG, reduced to 64 colours and cut at 2,400 px to keep them small).

    make screenshots        (loads the demo data first; the same as)
    DEBUG=true .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--port 8765]

Starts the development server on 127.0.0.1:PORT against the development database (with the
demo data loaded), signs in as each demo account in Debian's Chromium and saves, per role, the
sections its navigation offers (config/navigation.py), then the detail pages (a programme, a
review round and its scoring page, an indicator, a priority, a stream's budget, a programme's
payments, a call, its assessment and a bid, the claim audits, the programme, targets, stream and
priority forms) as the commissioner, the return form's two steps and the provider's own call and
bid pages as the provider, and the sign-in and accessibility pages signed out. `make screenshots`
runs it at the demo's date (YARDSTICK_TODAY, as `make run` does). Prints one line per file.
Look at them after a change to the layout.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.urls import reverse  # noqa: E402
from PIL import Image  # noqa: E402

from config.accessibility import VIEWPORTS  # noqa: E402
from config.navigation import nav_items  # noqa: E402

ROLES = ["commissioner", "finance", "provider"]
MAX_HEIGHT = 2400  # px: a very long page is cut here (keeps the files small)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def detail_pages() -> list[tuple[str, str]]:
    """(file stem, path) for one of each detail page, from the demo data."""
    from commissioning import selectors as review
    from commissioning.models import ReviewRound
    from grants.models import FundingStream, Programme
    from outcomes.models import Indicator, Priority

    pages = []
    programme = Programme.objects.order_by("reference").first()
    if programme:
        pages.append(("programme", reverse("programme-detail", args=[programme.pk])))
        pages.append(("programme-edit", reverse("programme-edit", args=[programme.pk])))
        pages.append(("programme-targets", reverse("programme-targets", args=[programme.pk])))
    pages.append(("programme-new", reverse("programme-new")))
    pages.append(("stream-new", reverse("stream-new")))
    pages.append(("priority-new", reverse("priority-new")))
    review_round = ReviewRound.objects.order_by("-first_year").first()
    if review_round:
        pages.append(("review-round", reverse("commissioning:round", args=[review_round.pk])))
        first = review.round_programmes(review_round).order_by("reference").first()
        if first:
            pages.append(("review-score", reverse("commissioning:score", args=[review_round.pk, first.pk])))
    indicator = Indicator.objects.order_by("pk").first()
    if indicator:
        pages.append(("indicator", reverse("indicator-detail", args=[indicator.pk])))
    priority = Priority.objects.filter(plan__is_current=True).order_by("pk").first()
    if priority:
        pages.append(("priority", reverse("priority-detail", args=[priority.pk])))
    stream = FundingStream.objects.order_by("pk").first()
    if stream:
        pages.append(("budget-stream", reverse("finance-stream", args=[stream.pk])))
    pbr = Programme.objects.filter(commissioning_model="pbr").order_by("reference").first()
    if pbr:
        pages.append(("programme-payments", reverse("finance-programme-payments", args=[pbr.pk])))
    pages.append(("funding-reviews-year", reverse("funding-reviews:year", args=["2009-10"])))
    pages += call_pages(None)
    pages.append(("claim-audits", reverse("claim-audits")))
    return pages


def call_pages(user) -> list[tuple[str, str]]:
    """A call, its assessment page and a bid on it: as a commissioner sees them (user None), or
    a provider's own bid."""
    from commissioning.calls.models import Bid, Call

    pages = []
    call = Call.objects.exclude(status=Call.Status.DRAFT).order_by("pk").first()
    if call:
        pages.append(("call", reverse("calls:call", args=[call.pk])))
        if user is None:
            pages.append(("call-assessment", reverse("calls:assessment", args=[call.pk])))
    bids = Bid.objects.exclude(status=Bid.Status.DRAFT).order_by("pk")
    if user is not None:
        bids = bids.filter(organisation__memberships__user=user)
    bid = bids.first()
    if bid:
        pages.append(("bid", reverse("calls:bid", args=[bid.pk])))
    return pages


def provider_pages(user) -> list[tuple[str, str]]:
    """The return form's two steps (the first programme and quarter owing returns) and the
    provider's own call and bid pages."""
    from django.conf import settings
    from django.utils.http import urlencode

    from core import clock
    from grants.forms import period_value
    from grants.selectors import owed_quarters

    pages = [("return-new", reverse("return-new"))]
    owed = owed_quarters(user, today=clock.today(), window_days=settings.YARDSTICK["RETURN_WINDOW_DAYS"])
    if owed:
        first = owed[0]
        query = urlencode(
            {"programme": first.slots[0]["target"].programme_id, "period": period_value(first.quarter)}
        )
        pages.append(("return-new-figures", f"{reverse('return-new')}?{query}"))
    return pages + call_pages(user)


def slug(label: str) -> str:
    return label.lower().replace(" ", "-")


def shrink(path: Path) -> None:
    image = Image.open(path).convert("RGB")
    image.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (127.0.0.1 only)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"The development server did not answer at {url} within {seconds:.0f} s.")


def shoot(page, base: str, path: str, out: Path, stem: str) -> None:
    for viewport in VIEWPORTS:
        page.set_viewport_size({"width": viewport.width, "height": viewport.height})
        page.goto(base + path, wait_until="networkidle")
        full = page.evaluate("Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)")
        height = min(full, MAX_HEIGHT)
        file = out / f"{stem}-{viewport.width}.png"
        clip = {"x": 0, "y": 0, "width": viewport.width, "height": height}
        page.screenshot(path=str(file), full_page=True, clip=clip)
        shrink(file)
        shown = file.relative_to(ROOT) if file.is_relative_to(ROOT) else file
        print(f"{shown}  {file.stat().st_size // 1024} KB", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    from grants.demo import DEMO_PASSWORD

    users = {u.username: u for u in get_user_model().objects.filter(username__in=ROLES)}
    missing = [r for r in ROLES if r not in users]
    if missing:
        raise SystemExit(f"No demo account {', '.join(missing)}: run `make demo` first.")
    # Work out every page first: the ORM may not be used once Playwright's event loop runs.
    plan = {
        username: [(f"{username}-{slug(item.label)}", item.href) for item in nav_items(users[username], "/")]
        for username in ROLES
    }
    plan["commissioner"] += [(f"commissioner-{stem}", path) for stem, path in detail_pages()]
    plan["provider"] += [(f"provider-{stem}", path) for stem, path in provider_pages(users["provider"])]
    signed_out = [
        ("signed-out-sign-in", reverse("login")),
        ("signed-out-accessibility", reverse("accessibility")),
    ]
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{args.port}", "--noreload"],
        cwd=ROOT, env={**os.environ, "DEBUG": "true"}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for(base + reverse("login"))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            anonymous = browser.new_page(locale="en-GB")
            for stem, path in signed_out:
                shoot(anonymous, base, path, args.out, stem)
            for username in ROLES:
                page = browser.new_context(locale="en-GB").new_page()
                page.goto(base + signed_out[0][1])
                page.get_by_label("Username").fill(username)
                page.get_by_label("Password").fill(DEMO_PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_load_state()
                for stem, path in plan[username]:
                    shoot(page, base, path, args.out, stem)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
