"""Content types under the model names Omnitron's clients ask for (omnitron.md §9).

Clients resolve generic-relation ids with `GET /api/v1/content_types/?model=<name>` for the
names in OMNITRON_MODELS. A name answers with the installed model of that name (`product` →
catalog.product). A name with no model of ours yet (`order`, `categorynode`, …) answers with a
placeholder content type in the app label `omnitron`, created after every `migrate`: its id is
stable, so integration bookkeeping can already point at it, and it names no Python model.
A name whose model of ours means something else is a placeholder too (NOT_OMNITRONS): the
`batches` app's BatchRequest is a Seller Center upload, not a channel's batch request.
When a real model of such a name appears, the placeholder is hidden from the API (not deleted).
"""

import functools

from django.apps import apps
from django.contrib.contenttypes.models import ContentType

PLACEHOLDER_APP = "omnitron"
OMNITRON_MODELS = [
    "product", "productprice", "productstock", "productimage", "order", "orderitem",
    "batchrequest", "integrationaction", "categorytree", "categorynode", "channel",
    "productcategory", "marketplaceattributeset", "marketplaceattributesetconfig",
    "marketplaceattribute", "marketplaceattributeschema", "marketplaceattributevalue",
    "marketplaceattributevalueconfig", "cancellationrequest", "catalog", "catalogitem",
    "pricelist", "stocklist",
]  # fmt: skip
NOT_OMNITRONS = {("batches", "batchrequest")}


@functools.cache
def omnitron_app_label(model_name: str) -> str:
    """The app label whose `model_name` is Omnitron's, else PLACEHOLDER_APP (the installed
    models never change in a running process: remembered)."""
    for model in apps.get_models():
        meta = model._meta
        if meta.model_name == model_name and (meta.app_label, model_name) not in NOT_OMNITRONS:
            return meta.app_label
    return PLACEHOLDER_APP


def placeholders_ensure(**kwargs) -> None:
    """Create the placeholder content types (post_migrate, as Django creates its own)."""
    using = kwargs.get("using", "default")
    for name in OMNITRON_MODELS:
        if omnitron_app_label(name) == PLACEHOLDER_APP:
            ContentType.objects.db_manager(using).get_or_create(
                app_label=PLACEHOLDER_APP, model=name
            )
