"""The one store of a product's media files (images and videos): create, change, delete.

Each kind of media is described once (`MediaKind`); the writes hold the product's row lock, so
two writes to one product's media run one after the other, keep `order` dense at the end, refuse
a file the product has already (by its SHA-256), and publish the active files' URLs on the
product after every change. A file is removed from storage only after the commit, and only when
no row refers to it any more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models import Max

from pazar.catalog.models import Product
from pazar.core.services import field_error, model_update
from pazar.images import files
from pazar.images.models import ImageStatus


@dataclass(frozen=True)
class MediaKind:
    model: type[models.Model]
    field: str  # the file field, also the name of the request field and of the media
    duplicate_code: str
    updatable: tuple[str, ...]
    publish: Callable[..., list[str]]  # `publish(product_id=…)` sets the product's URL list


def _lock(product_id: int) -> None:
    Product.objects.select_for_update().filter(pk=product_id).first()


def _with_status(data: dict) -> dict:
    data = dict(data)
    if "is_active" in data:
        data["status"] = ImageStatus.ACTIVE if data["is_active"] else ImageStatus.DISABLED
    return data


def media_create(
    *,
    kind: MediaKind,
    product: Product,
    upload,
    name: str,
    sha256: str,
    order: int | None,
    fields: dict,
) -> models.Model:
    """Store a checked upload as `name` and its row (`fields`, `is_active` among them).
    Without `order` it goes last. The file is removed again when the row is not written."""
    created_file = False
    try:
        with transaction.atomic():
            _lock(product.pk)
            if kind.model.objects.filter(product=product, hash=sha256).exists():
                raise field_error(
                    kind.field,
                    f"The product has this {kind.field} already (hash {sha256}).",
                    kind.duplicate_code,
                )
            if order is None:
                last = kind.model.objects.filter(product=product).aggregate(last=Max("order"))
                order = 0 if last["last"] is None else last["last"] + 1
            created_file = files.save_once(name, upload)
            item = kind.model.objects.create(
                product=product,
                **{kind.field: name},
                order=order,
                hash=sha256,
                **_with_status(fields),
            )
            kind.publish(product_id=product.pk)
    except BaseException:
        if created_file:
            files.delete_quietly([name])
        raise
    return item


@transaction.atomic
def media_update(*, kind: MediaKind, item: models.Model, data: dict) -> models.Model:
    """Change the `updatable` fields (`is_active` sets `status`), then publish."""
    _lock(item.product_id)
    if model_update(instance=item, fields=[*kind.updatable, "status"], data=_with_status(data)):
        kind.publish(product_id=item.product_id)
    return item


@transaction.atomic
def media_delete(*, kind: MediaKind, item: models.Model) -> None:
    product_id = item.product_id
    _lock(product_id)
    name = getattr(item, kind.field).name
    item.delete()
    kind.publish(product_id=product_id)
    delete_files_after_commit(product_id=product_id, names={name}, model=kind.model)


def delete_files_after_commit(
    *, product_id: int, names: set[str], model: type[models.Model]
) -> None:
    if names:
        transaction.on_commit(
            lambda: files_delete_unreferenced(product_id=product_id, names=names, model=model)
        )


def files_delete_unreferenced(
    *, product_id: int, names: set[str], model: type[models.Model]
) -> None:
    """Delete those of `names` no row of `model` refers to, holding the product's lock so that
    a write adding a file with the same content waits for the deletion or prevents it."""
    field = next(f.name for f in model._meta.fields if isinstance(f, models.FileField))
    with transaction.atomic():
        _lock(product_id)
        used = set(model.objects.filter(**{f"{field}__in": names}).values_list(field, flat=True))
        files.delete_quietly(sorted(set(names) - used))
