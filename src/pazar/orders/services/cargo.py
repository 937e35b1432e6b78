"""Writes of cargo (shipping) companies."""

from django.db import transaction
from django.db.models import ProtectedError

from pazar.core.errors import ApplicationError
from pazar.core.services import field_error, model_update
from pazar.orders.models import CargoCompany

CARGO_FIELDS = ["name", "erp_code", "shipping_company", "is_active"]


def _check_erp_code(erp_code: str, exclude: CargoCompany | None = None) -> None:
    taken = CargoCompany.objects.filter(erp_code=erp_code).exclude(pk=getattr(exclude, "pk", None))
    if taken.exists():
        raise field_error(
            "erp_code", "A cargo company with this erp_code already exists.", "unique"
        )


@transaction.atomic
def cargo_company_create(
    *, name: str, erp_code: str, shipping_company: str = "", is_active: bool = True
) -> CargoCompany:
    _check_erp_code(erp_code)
    return CargoCompany.objects.create(
        name=name, erp_code=erp_code, shipping_company=shipping_company, is_active=is_active
    )


@transaction.atomic
def cargo_company_upsert(*, erp_code: str, name: str, shipping_company: str = "") -> CargoCompany:
    company, _ = CargoCompany.objects.update_or_create(
        erp_code=erp_code, defaults={"name": name, "shipping_company": shipping_company}
    )
    return company


@transaction.atomic
def cargo_company_update(*, cargo_company: CargoCompany, data: dict) -> CargoCompany:
    if "erp_code" in data:
        _check_erp_code(data["erp_code"], exclude=cargo_company)
    model_update(instance=cargo_company, fields=CARGO_FIELDS, data=data)
    return cargo_company


@transaction.atomic
def cargo_company_delete(*, cargo_company: CargoCompany) -> None:
    """A company orders or packages name is kept (400 `cargo_company_in_use`)."""
    try:
        cargo_company.delete()
    except ProtectedError:
        raise ApplicationError(
            "Orders or packages name this cargo company; deactivate it instead.",
            code="cargo_company_in_use",
        ) from None
