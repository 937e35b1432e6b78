"""The channel attribute family: the marketplace's attribute sets, attributes, values and how
they are used, as a connector mirrors them (real-clients.md §6). Plain CRUD, scoped to the
URL's channel; writes through `pazar.channels.services.sales`.
"""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics

from pazar.api.filters import TEXT_LOOKUPS, IntegerFilter
from pazar.api.omnitron import OmnitronFilterSet
from pazar.api.omnitron_filters import sort_filter
from pazar.channels.api.sales import catalog_serializers as s
from pazar.channels.api.sales.base import ChannelView
from pazar.channels.models import (
    MarketplaceAttribute,
    MarketplaceAttributeConfig,
    MarketplaceAttributeSchema,
    MarketplaceAttributeSet,
    MarketplaceAttributeSetConfig,
    MarketplaceAttributeValue,
    MarketplaceAttributeValueConfig,
)
from pazar.channels.services import sales as services

REMOTE = ["exact", "in"]


def _filterset(model, fields: dict, sorts=(), **declared):
    meta = type("Meta", (), {"model": model, "fields": fields})
    attrs = {"Meta": meta, "sort": sort_filter(*sorts), **declared}
    if any(f.name == "channel" for f in model._meta.fields):
        attrs["channel"] = IntegerFilter(field_name="channel_id")
        attrs["channel_id"] = IntegerFilter(field_name="channel_id")
    return type(f"{model.__name__}Filter", (OmnitronFilterSet,), attrs)


class Family:
    """One resource of the family: its model, serializer, filters, and how it meets a channel."""

    def __init__(self, model, serializer, filterset, scope: str, detailed=None) -> None:
        self.model, self.serializer, self.filterset = model, serializer, filterset
        self.scope, self.detailed = scope, detailed


class _FamilyView(ChannelView):
    family: Family

    def get_queryset(self):
        return self.family.model.objects.filter(**{self.family.scope: self.channel}).order_by("pk")

    def get_serializer_class(self):
        return self.family.serializer


class FamilyListView(_FamilyView, generics.ListCreateAPIView):
    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        if self.family.scope == "channel":
            data["channel"] = self.channel
        serializer.instance = services.marketplace_object_create(model=self.family.model, data=data)


class FamilyDetailView(_FamilyView, generics.RetrieveUpdateDestroyAPIView):
    def perform_update(self, serializer):
        serializer.instance = services.marketplace_object_update(
            instance=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.marketplace_object_delete(instance=instance)


class FamilyDetailedListView(_FamilyView, generics.ListAPIView):
    def get_serializer_class(self):
        return self.family.detailed


class FamilyDetailedView(_FamilyView, generics.RetrieveAPIView):
    def get_serializer_class(self):
        return self.family.detailed


SET, ATTRIBUTE = "attribute_set__channel", "attribute__channel"
FAMILIES = {
    "attribute_sets": Family(
        MarketplaceAttributeSet, s.MarketplaceAttributeSetSerializer,
        _filterset(MarketplaceAttributeSet, {"name": TEXT_LOOKUPS, "remote_id": REMOTE}, ["name"]),
        "channel",
    ),
    "attribute_set_configs": Family(
        MarketplaceAttributeSetConfig, s.MarketplaceAttributeSetConfigSerializer,
        _filterset(
            MarketplaceAttributeSetConfig,
            {"attribute_set": ["exact", "in"], "object_id": ["exact", "in"],
             "content_type__model": ["exact"]},
            ["object_id"],
            content_type__model__exact=django_filters.CharFilter(field_name="content_type__model"),
        ),
        SET,
    ),
    "attributes": Family(
        MarketplaceAttribute, s.MarketplaceAttributeSerializer,
        _filterset(MarketplaceAttribute, {"name": TEXT_LOOKUPS, "remote_id": REMOTE}, ["name"]),
        "channel",
    ),
    "attribute_schemas": Family(
        MarketplaceAttributeSchema, s.MarketplaceAttributeSchemaSerializer,
        _filterset(MarketplaceAttributeSchema, {"name": TEXT_LOOKUPS}, ["name"]),
        "channel",
    ),
    "attribute_configs": Family(
        MarketplaceAttributeConfig, s.MarketplaceAttributeConfigSerializer,
        _filterset(
            MarketplaceAttributeConfig,
            {"attribute_set": ["exact", "in"], "attribute": ["exact", "in"],
             "attribute_remote_id": REMOTE},
        ),
        SET, detailed=s.MarketplaceAttributeConfigDetailedSerializer,
    ),
    "attribute_values": Family(
        MarketplaceAttributeValue, s.MarketplaceAttributeValueSerializer,
        _filterset(
            MarketplaceAttributeValue,
            {"attribute": ["exact", "in"], "label": TEXT_LOOKUPS, "value": TEXT_LOOKUPS,
             "remote_id": REMOTE},
        ),
        "channel",
    ),
    "attribute_value_configs": Family(
        MarketplaceAttributeValueConfig, s.MarketplaceAttributeValueConfigSerializer,
        _filterset(
            MarketplaceAttributeValueConfig,
            {"attribute_set": ["exact", "in"], "attribute_value": ["exact", "in"]},
        ),
        SET,
    ),
}  # fmt: skip


def family_views(name: str) -> dict:
    """The list, detail (and detailed) views of one resource, with their OpenAPI names."""
    family = FAMILIES[name]
    title = name.replace("_", " ")
    views = {
        "list": extend_schema_view(
            get=extend_schema(summary=f"List the channel's {title}"),
            post=extend_schema(summary=f"Create one of the channel's {title}"),
        )(type(f"{family.model.__name__}ListView", (FamilyListView,), {"family": family,
          "filterset_class": family.filterset})),
        "detail": extend_schema_view(
            get=extend_schema(summary=f"Read one of the channel's {title}"),
            patch=extend_schema(summary=f"Change one of the channel's {title}"),
            delete=extend_schema(summary=f"Delete one of the channel's {title}"),
        )(type(f"{family.model.__name__}DetailView", (FamilyDetailView,), {"family": family})),
    }  # fmt: skip
    if family.detailed:
        views["detailed_list"] = extend_schema_view(
            get=extend_schema(summary=f"List the channel's {title}, nested")
        )(
            type(
                f"{family.model.__name__}DetailedListView",
                (FamilyDetailedListView,),
                {"family": family, "filterset_class": family.filterset},
            )
        )
        views["detailed"] = extend_schema_view(
            get=extend_schema(summary=f"Read one of the channel's {title}, nested")
        )(type(f"{family.model.__name__}DetailedView", (FamilyDetailedView,), {"family": family}))
    return views
