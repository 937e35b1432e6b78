"""Reads of the channels app."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from pazar.channels.content_types import OMNITRON_MODELS, omnitron_app_label


def content_types() -> QuerySet[ContentType]:
    """Every content type, one per name of OMNITRON_MODELS: the one Omnitron's clients mean."""
    others = Q(pk__in=[])
    for name in OMNITRON_MODELS:
        others |= Q(model=name) & ~Q(app_label=omnitron_app_label(name))
    return ContentType.objects.exclude(others).order_by("pk")
