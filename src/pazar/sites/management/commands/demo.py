from django.core.management.base import BaseCommand

from pazar.sites.demo import demo_load


class Command(BaseCommand):
    help = "Load (idempotently) a demo marketplace: languages, categories, attributes, lists, a seller."

    def handle(self, *args, **options):
        for line in demo_load():
            self.stdout.write(f"  {line}")
        self.stdout.write(self.style.SUCCESS("Demo marketplace ready."))
