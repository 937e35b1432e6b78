"""Writes of the orders app: cargo companies (`cargo`), orders and their items (`orders`)."""

from pazar.orders.services.cargo import (
    cargo_company_create,
    cargo_company_delete,
    cargo_company_update,
    cargo_company_upsert,
)

__all__ = [
    "cargo_company_create",
    "cargo_company_delete",
    "cargo_company_update",
    "cargo_company_upsert",
]
