from django.core.management.base import BaseCommand
from django.db import connection

from pazar.catalog.search import index_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the catalog search index (PRD108) from the product table. A repair tool: "
        "approvals keep the index up to date. On PostgreSQL the database maintains the index "
        "and the words' table; this writes the words' table anew and counts the products."
    )

    def handle(self, *args, **options):
        indexed = index_rebuild()
        if connection.vendor == "sqlite":
            message = f"Rebuilt the catalog search index: {indexed} products."
        else:
            message = f"The database maintains the catalog search index: {indexed} products."
        self.stdout.write(self.style.SUCCESS(message))
