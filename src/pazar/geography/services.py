"""Writes of places (countries, cities, townships, districts) and their codes on other systems.

A place names the places above it (a township its city and country); they must agree, so an
address built from them is never half in one country and half in another.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, ProtectedError

from pazar.core.errors import ApplicationError
from pazar.core.services import field_error, model_update
from pazar.geography.error_codes import ErrorCode
from pazar.geography.models import City, Country, District, IntegrationType, Mapping, Township

PLACE_FIELDS = ["name", "code", "is_active", "postcode", "country", "city", "township"]
# Each parent a place names, and the parents that parent must share with it.
PARENTS = {"city": ["country"], "township": ["country", "city"]}


def _check_parents(data: dict) -> None:
    """A township's city lies in its country; a district's township in its city."""
    for parent_name, shared in PARENTS.items():
        parent = data.get(parent_name)
        if parent is None:
            continue
        for name in shared:
            if name in data and getattr(parent, f"{name}_id") != data[name].pk:
                raise field_error(
                    parent_name,
                    f"This {parent_name} does not lie in the given {name}.",
                    ErrorCode.PLACE_MISMATCH,
                )


def _check_unique(model: type[Model], data: dict, exclude: Model | None = None) -> None:
    """Names are unique within the parent, a country's code is unique: answer as a field error."""
    scope = {Country: None, City: "country", Township: "city", District: "township"}[model]
    queryset = model.objects.exclude(pk=getattr(exclude, "pk", None))
    if scope is None:
        if data.get("code") and queryset.filter(code=data["code"]).exists():
            raise field_error("code", "A country with this code already exists.", "unique")
        return
    if queryset.filter(name=data["name"], **{scope: data[scope]}).exists():
        raise field_error("name", f"This {scope} already has a place of this name.", "unique")


@transaction.atomic
def place_create(*, model: type[Model], data: dict) -> Model:
    """A country, city, township or district; `mappings` (optional) are its codes elsewhere."""
    data = dict(data)
    mappings = data.pop("mappings", None)
    _check_parents(data)
    _check_unique(model, data)
    place = model.objects.create(**data)
    if mappings is not None:
        mappings_set(place=place, mappings=mappings)
    return place


@transaction.atomic
def place_update(*, place: Model, data: dict) -> Model:
    """Change a place; `mappings`, when given, replaces its codes elsewhere."""
    data = dict(data)
    mappings = data.pop("mappings", None)
    merged = {name: getattr(place, name) for name in PLACE_FIELDS if hasattr(place, name)}
    merged.update(data)
    _check_parents(merged)
    _check_unique(type(place), merged, exclude=place)
    model_update(instance=place, fields=PLACE_FIELDS, data=data)
    if mappings is not None:
        mappings_set(place=place, mappings=mappings)
    return place


@transaction.atomic
def place_delete(*, place: Model) -> None:
    """A place an address or a smaller place names is kept (400 `place_in_use`)."""
    try:
        Mapping.objects.filter(
            content_type=ContentType.objects.get_for_model(place), object_id=place.pk
        ).delete()
        place.delete()
    except ProtectedError:
        raise ApplicationError(
            "This place is in use by addresses or smaller places; deactivate it instead.",
            code=ErrorCode.PLACE_IN_USE,
        ) from None


@transaction.atomic
def mappings_set(*, place: Model, mappings: list[dict]) -> list[Mapping]:
    """Exactly these `{integration_type, code}` codes name the place from now on.

    A code names one place of a kind: one another place already has is refused (400).
    """
    content_type = ContentType.objects.get_for_model(place)
    pairs = {
        (m.get("integration_type", IntegrationType.SALES_CHANNEL), m["code"]) for m in mappings
    }
    taken = (
        Mapping.objects.filter(content_type=content_type, code__in=[c for _, c in pairs])
        .exclude(object_id=place.pk)
        .values_list("integration_type", "code")
    )
    clash = pairs & set(taken)
    if clash:
        codes = ", ".join(sorted(code for _, code in clash))
        raise ValidationError(
            {
                "mappings": ValidationError(
                    f"Codes of another place: {codes}.", ErrorCode.MAPPING_TAKEN
                )
            }
        )
    Mapping.objects.filter(content_type=content_type, object_id=place.pk).delete()
    return Mapping.objects.bulk_create(
        Mapping(content_type=content_type, object_id=place.pk, integration_type=kind, code=code)
        for kind, code in sorted(pairs)
    )
