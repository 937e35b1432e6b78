from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from pazar.accounts.services import seller_create


class Command(BaseCommand):
    help = "Create a seller and its first admin user."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="The seller's name (unique).")
        parser.add_argument("--username", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--email", default="", help="Used to log in at the Seller Center.")

    def handle(self, *args, name, username, password, email, **options):
        try:
            membership = seller_create(name=name, username=username, password=password, email=email)
        except ValidationError as exc:
            messages = [
                f"{field}: {' '.join(errors)}" for field, errors in exc.message_dict.items()
            ]
            raise CommandError("; ".join(messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f'Created seller "{membership.seller.name}" (id {membership.seller.id}) '
                f'with admin user "{membership.user.username}".'
            )
        )
