"""Load the Safer Southwark demo data: idempotent, one transaction, prints what it did."""

from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claims import demo as claims_demo
from commissioning import demo as commissioning_demo
from commissioning.calls import demo as calls_demo
from commissioning.impact import demo as impact_demo
from grants import demo as grants_demo
from outcomes import demo as outcomes_demo

# Each app's loader, lowest layer first: grants' programmes need outcomes' measures, and
# commissioning's review round needs the programmes; the calls recommission them. The claims
# ledger's loader runs after grants' (its programmes and users), the payments after the claims
# (a programme paid per claim is paid what its verified claims earned), and the claims audit
# after the payments (its clawback comes off what was paid).
LOADERS = (
    outcomes_demo.load,
    grants_demo.load,
    claims_demo.load,
    grants_demo.load_payments,
    claims_demo.load_audit,
    commissioning_demo.load,
    calls_demo.load,
    impact_demo.load,
)


class Command(BaseCommand):
    help = "Load (or refresh) the Safer Southwark Partnership demo data and demo accounts."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Load even with DEBUG off (never on a live system)."
        )

    def handle(self, *args, force: bool = False, **options) -> None:
        allowed = settings.DEBUG or settings.YARDSTICK.get("ALLOW_DEMO_DATA") or force
        if not allowed:
            raise CommandError(
                "Refusing to load demo data with DEBUG off: demo accounts share a published password. "
                "Set ALLOW_DEMO_DATA=true or pass --force if this really is a demonstration system."
            )
        totals: Counter = Counter()
        # Outside a request nobody is signed in: history rows name the demo admin.
        with transaction.atomic(), grants_demo.recorded_as(grants_demo.demo_admin()):
            for loader in LOADERS:
                totals.update(loader(log=self.stdout.write) or {})
        if totals:
            made = ", ".join(f"{n} {model}" for model, n in sorted(totals.items()))
            self.stdout.write(self.style.SUCCESS(f"Created {made}."))
        else:
            self.stdout.write(self.style.SUCCESS("Demo data already up to date; nothing new created."))
