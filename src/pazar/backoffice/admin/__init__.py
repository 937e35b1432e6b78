"""The back office's admin pages that compose several apps (each module registers its own):
the approval queue, the products' page (with prices and stocks) and the sellers' batches."""

from pazar.backoffice.admin import approval, batches, products, rules  # noqa: F401
