"""E-mail reminders: providers about returns due within a few days or late, commissioners about
returns waiting for verification. Each person hears about each return once per reason.

The due and late rule is grants.selectors.return_slots (the one the returns pages show); the
verification queue is grants.selectors.returns_awaiting_review. A reminder's SentReminder rows
are written in the same transaction as the e-mail is handed to the backend, and their unique
constraint makes a second run (or two runs at once) skip what was already sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.roles import Role
from core.formatting import long_date
from grants import selectors
from grants.models import SentReminder

Kind = SentReminder.Kind


@dataclass(frozen=True)
class Item:
    """One return (or return not yet in) a reminder is about."""

    kind: str
    programme_id: int
    measure_id: int
    financial_year: str
    quarter: int
    revision: int
    text: str

    @property
    def slot(self) -> tuple:
        return (
            self.kind,
            self.programme_id,
            self.measure_id,
            self.financial_year,
            self.quarter,
            self.revision,
        )


@dataclass
class Reminder:
    """One e-mail to one person."""

    recipient: object
    items: list[Item]
    template: str

    def count(self, kind: str) -> int:
        return sum(1 for i in self.items if i.kind == kind)


@dataclass
class Summary:
    sent: int = 0
    items: dict[str, int] = field(default_factory=lambda: {k.value: 0 for k in Kind})
    already_sent: int = 0
    no_address: int = 0
    failed: int = 0  # the mail server refused; tried again on the next run
    raced: int = 0  # another run recorded the same reminder first


def _users_with_role(role: Role):
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=role.value)
        .distinct()
        .order_by("username")
    )


def _already_sent(recipient_ids) -> set[tuple]:
    rows = SentReminder.objects.filter(recipient_id__in=recipient_ids).values_list(
        "recipient_id", "kind", "programme_id", "measure_id", "financial_year", "quarter", "revision"
    )
    return {tuple(r) for r in rows}


def provider_items(user, *, today: date, days: int) -> list[Item]:
    """The returns a provider's organisations owe that are due within `days` days, or late."""
    items = []
    window = settings.YARDSTICK["RETURN_WINDOW_DAYS"]
    for slot in selectors.return_slots(user, today=today, window_days=window):
        target, quarter = slot["target"], slot["quarter"]
        left = (slot["deadline"] - today).days
        if slot["state"] == "late":
            kind, when = Kind.LATE, f"was due {long_date(slot['deadline'])}"
        elif slot["state"] == "due" and left <= days:
            kind = Kind.DUE_SOON
            when = "is due today" if left == 0 else f"is due by {long_date(slot['deadline'])} ({left} days)"
        else:
            continue
        text = (
            f"{target.programme.reference} {target.programme.title}: {target.measure.name}, {quarter} {when}"
        )
        items.append(
            Item(kind, target.programme_id, target.measure_id, target.financial_year, target.quarter, 0, text)
        )
    return items


def commissioner_items(user, *, today: date) -> list[Item]:
    """Returns submitted (by the end of `today`) and waiting for verification."""
    items = []
    for r in selectors.returns_awaiting_review(user).filter(submitted_at__date__lte=today):
        text = (
            f"{r.programme.reference} {r.programme.title}: {r.measure.name}, {r.financial_year} "
            f"Q{r.quarter} (revision {r.revision}, submitted {long_date(r.submitted_at)})"
        )
        items.append(
            Item(Kind.AWAITING_VERIFICATION, r.programme_id, r.measure_id, r.financial_year, r.quarter,
                 r.revision, text)
        )  # fmt: skip
    return items


def pending_reminders(*, today: date, days: int = 7) -> tuple[list[Reminder], int]:
    """Who should hear about what today, leaving out what each has already been sent;
    with the number of items left out for that reason."""
    providers = list(_users_with_role(Role.PROVIDER).filter(memberships__isnull=False))
    commissioners = list(_users_with_role(Role.COMMISSIONER))
    sent = _already_sent([u.pk for u in providers + commissioners])
    # Commissioners, a staff role, all see every return: one queue serves them all.
    queue = commissioner_items(commissioners[0], today=today) if commissioners else []
    reminders, skipped = [], 0
    for users, collect, template in (
        (
            providers,
            lambda u: provider_items(u, today=today, days=days),
            "grants/email/reminder_provider.txt",
        ),
        (
            commissioners,
            lambda u: queue,
            "grants/email/reminder_commissioner.txt",
        ),
    ):
        for user in users:
            items = collect(user)
            fresh = [i for i in items if (user.pk, *i.slot) not in sent]
            skipped += len(items) - len(fresh)
            if fresh:
                reminders.append(Reminder(user, fresh, template))
    return reminders, skipped


def send_reminders(
    *, today: date, days: int = 7, dry_run: bool = False, progress: Callable[[str], None] | None = None
) -> Summary:
    """E-mail everyone their new reminders (or, with dry_run, only say what would be sent)."""
    say = progress or (lambda _message: None)
    reminders, skipped = pending_reminders(today=today, days=days)
    summary = Summary(already_sent=skipped)
    for reminder in reminders:
        user = reminder.recipient
        counts = ", ".join(
            f"{reminder.count(k)} {k.label.lower().removeprefix('return ')}"
            for k in Kind
            if reminder.count(k)
        )
        if not user.email:
            summary.no_address += 1
            say(f"  ! {user.get_username()} has no e-mail address ({counts}): not sent")
            continue
        if dry_run:
            say(f"  would e-mail {user.email}: {counts}")
        else:
            try:
                sent = _send(reminder, today=today, days=days)
            except OSError as exc:  # smtplib's errors included
                summary.failed += 1
                say(f"  ! {user.email}: the mail server refused ({exc}); will try again next run")
                continue
            if not sent:
                summary.raced += 1
                say(f"  ! {user.email}: already being sent by another run, skipped")
                continue
            say(f"  e-mailed {user.email}: {counts}")
        summary.sent += 1
        for item in reminder.items:
            summary.items[item.kind] += 1
    return summary


def _link(name: str) -> str:
    """An absolute link when SITE_URL is set (e-mails have no request to take the host from)."""
    site = settings.YARDSTICK["SITE_URL"].rstrip("/")
    return f"{site}{reverse(name)}" if site else ""


def _send(reminder: Reminder, *, today: date, days: int) -> bool:
    user = reminder.recipient
    context = {
        "user": user,
        "items": reminder.items,
        "late": [i for i in reminder.items if i.kind == Kind.LATE],
        "due_soon": [i for i in reminder.items if i.kind == Kind.DUE_SOON],
        "awaiting": [i for i in reminder.items if i.kind == Kind.AWAITING_VERIFICATION],
        "days": days,
        "today": today,
        "returns_url": _link("returns"),
        "queue_url": _link("returns-queue"),
    }
    body = render_to_string(reminder.template, context)
    subject, _, body = body.partition("\n")
    try:
        with transaction.atomic():
            SentReminder.objects.bulk_create(
                [
                    SentReminder(
                        kind=i.kind, recipient=user, programme_id=i.programme_id, measure_id=i.measure_id,
                        financial_year=i.financial_year, quarter=i.quarter, revision=i.revision,
                    )
                    for i in reminder.items
                ]
            )  # fmt: skip
            # Inside the transaction: if the mail server refuses, nothing is recorded as sent.
            send_mail(subject.strip(), body.lstrip("\n"), None, [user.email])
    except IntegrityError:
        return False
    return True
