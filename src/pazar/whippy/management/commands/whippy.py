import time

from django.core.management.base import BaseCommand, CommandError

from pazar.whippy.models import StockList
from pazar.whippy.services import aggregation


class Command(BaseCommand):
    help = "Whippy Ware maintenance: `rebuild` recomputes stock list figures from scratch."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True, metavar="command")
        rebuild = commands.add_parser(
            "rebuild",
            help="Recompute every figure of the computed stock lists and write them to "
            "Omnitron's product stocks (a repair tool: the worker keeps them up to date).",
        )
        rebuild.add_argument(
            "--stock-list", metavar="CODE", help="Only the Whippy Ware stock list with this code."
        )

    def handle(self, *args, command, **options):
        lists = StockList.objects.order_by("code")
        code = options.get("stock_list")
        if code is not None:
            lists = lists.filter(code=code)
            if not lists.exists():
                raise CommandError(f'No Whippy Ware stock list has the code "{code}".')
        computed = set(aggregation.computable_stock_lists().values_list("pk", flat=True))
        for stock_list in lists:
            if stock_list.pk not in computed:
                self.stdout.write(
                    f"{stock_list.code}: skipped (inactive, or its rule is inactive or not "
                    "computed)."
                )
                continue
            started = time.monotonic()
            outcome = aggregation.stock_list_rebuild(stock_list=stock_list)
            self.stdout.write(
                self.style.SUCCESS(
                    f"{stock_list.code}: {outcome.skus} SKUs computed, {outcome.written} "
                    f"product stocks written, {outcome.without_product} SKUs without an "
                    f"Omnitron product ({time.monotonic() - started:.2f} s)."
                )
            )
