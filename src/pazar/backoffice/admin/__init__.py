"""The back office's admin pages that compose several apps (each module registers its own):
the approval queue, the products' page (with prices and stocks), the sellers' batches and the
orders (with their packages and claims) and the claims queue."""

from pazar.backoffice.admin import approval, batches, claims, orders, products, rules  # noqa: F401
