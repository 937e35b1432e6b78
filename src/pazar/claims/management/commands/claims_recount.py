import uuid

from django.core.management.base import BaseCommand

from pazar.claims.selectors import counted_seller_ids
from pazar.claims.services import claim_counts_rebuild


class Command(BaseCommand):
    help = (
        "Count the sellers' claims again into CLM001's kept counts (by status, type and "
        "cancelled_by, and by date). A repair tool: the claims services keep the counts; run it "
        "after claims were written outside them (a bulk load, or an older release still writing "
        "during an upgrade)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seller", type=uuid.UUID, action="append", dest="sellers", metavar="PK",
            help="only this seller (repeatable); every seller with claims by default",
        )  # fmt: skip

    def handle(self, *args, sellers=None, **options):
        seller_ids = sorted(set(sellers)) if sellers else counted_seller_ids()
        for seller_id in seller_ids:  # one transaction and change lock per seller
            claim_counts_rebuild(seller_ids=[seller_id])
        self.stdout.write(self.style.SUCCESS(f"Counted the claims of {len(seller_ids)} sellers."))
