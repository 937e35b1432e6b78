"""Writes a sales-channel connector makes besides its batches: its category tree and its
marketplace's attributes (real-clients.md §6).

Category nodes are the catalog's categories: they are created and touched through
`pazar.catalog.services`.
"""

from __future__ import annotations

import uuid

from django.db import IntegrityError, models, transaction

from pazar.catalog.models import Category
from pazar.catalog.services import categories as category_services
from pazar.channels.models import CategoryTree, Channel
from pazar.channels.services import category_tree_create
from pazar.core.errors import ApplicationError
from pazar.core.services import model_update


def _node_code(channel: Channel) -> str:
    return f"channel-{channel.pk}-{uuid.uuid4().hex[:16]}"


@transaction.atomic
def channel_category_tree_create(*, channel: Channel, name: str) -> CategoryTree:
    """A new tree with a root node of the same name."""
    root = category_services.category_create(name=name[:255], code=_node_code(channel))
    return category_tree_create(name=name, category_root=root)


@transaction.atomic
def channel_category_node_create(
    *, channel: Channel, parent: Category, name: str, order: int = 0
) -> Category:
    return category_services.category_create(
        name=name, code=_node_code(channel), parent=parent, order=order
    )


@transaction.atomic
def channel_category_node_update(*, node: Category, data: dict) -> Category:
    """Change a node's name or order; with nothing to change, its `modified_date` still moves."""
    changes = {key: value for key, value in data.items() if getattr(node, key) != value}
    if changes:
        return category_services.category_update(category=node, data=changes)
    return category_services.category_touch(category=node)


# --- marketplace attributes -----------------------------------------------------------------

TAKEN = "An object with these values already exists for this channel."


def _saved(instance: models.Model, save) -> models.Model:
    try:
        with transaction.atomic():
            save()
    except IntegrityError:
        raise ApplicationError(TAKEN, code="unique") from None
    return instance


@transaction.atomic
def marketplace_object_create(*, model: type[models.Model], data: dict) -> models.Model:
    """Create one row of the attribute family (`data` carries `channel` where the model has one)."""
    instance = model(**data)
    return _saved(instance, instance.save)


@transaction.atomic
def marketplace_object_update(*, instance: models.Model, data: dict) -> models.Model:
    fields = [name for name in data if name != "channel"]
    return _saved(instance, lambda: model_update(instance=instance, fields=fields, data=data))


@transaction.atomic
def marketplace_object_delete(*, instance: models.Model) -> None:
    instance.delete()
