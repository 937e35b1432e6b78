"""Omnitron: countries, cities, townships and districts, for operators (read and write) and for
sales channels (read, `/api/v1/channel/{cid}/…`). Writes go through `pazar.geography.services`.
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics

from pazar.accounts.sites import OmnitronView
from pazar.channels.api.channel_scope import ChannelScopedMixin
from pazar.geography import services
from pazar.geography.api import filters, serializers
from pazar.geography.models import City, Country, District, Township

PLACES = {
    "country": (Country, serializers.CountrySerializer, filters.CountryFilter),
    "city": (City, serializers.CitySerializer, filters.CityFilter),
    "township": (Township, serializers.TownshipSerializer, filters.TownshipFilter),
    "district": (District, serializers.DistrictSerializer, filters.DistrictFilter),
}
PLURALS = {
    "country": "countries",
    "city": "cities",
    "township": "townships",
    "district": "districts",
}


def _queryset(model):
    related = [name for name in ("country", "city", "township") if hasattr(model, name)]
    return model.objects.select_related(*related).prefetch_related("mapping").order_by("pk")


def _views(kind: str):
    model, serializer_class, filterset_class = PLACES[kind]
    plural = PLURALS[kind]

    @extend_schema_view(
        get=extend_schema(summary=f"List {plural}"),
        post=extend_schema(summary=f"Create a {kind}"),
    )
    class ListView(OmnitronView, generics.ListCreateAPIView):
        queryset = _queryset(model)

        def perform_create(self, serializer):
            serializer.instance = services.place_create(model=model, data=serializer.validated_data)

    @extend_schema_view(
        get=extend_schema(summary=f"Read a {kind}"),
        put=extend_schema(summary=f"Replace a {kind}"),
        patch=extend_schema(summary=f"Change a {kind}"),
        delete=extend_schema(
            summary=f"Delete a {kind}",
            description="A place addresses or smaller places name is kept (400 `place_in_use`).",
        ),
    )
    class DetailView(OmnitronView, generics.RetrieveUpdateDestroyAPIView):
        queryset = _queryset(model)

        def perform_update(self, serializer):
            serializer.instance = services.place_update(
                place=serializer.instance, data=serializer.validated_data
            )

        def perform_destroy(self, instance):
            services.place_delete(place=instance)

    @extend_schema_view(get=extend_schema(summary=f"List {plural} (sales channel)"))
    class ChannelListView(ChannelScopedMixin, OmnitronView, generics.ListAPIView):
        queryset = _queryset(model)

    @extend_schema_view(get=extend_schema(summary=f"Read a {kind} (sales channel)"))
    class ChannelDetailView(ChannelScopedMixin, OmnitronView, generics.RetrieveAPIView):
        queryset = _queryset(model)

    for view in (ListView, DetailView, ChannelListView, ChannelDetailView):
        view.serializer_class = serializer_class
        view.filterset_class = filterset_class
        view.__name__ = f"{model.__name__}{view.__name__}"
        view.__qualname__ = view.__name__
    return ListView, DetailView, ChannelListView, ChannelDetailView


CountryListView, CountryDetailView, ChannelCountryListView, ChannelCountryDetailView = _views(
    "country"
)
CityListView, CityDetailView, ChannelCityListView, ChannelCityDetailView = _views("city")
TownshipListView, TownshipDetailView, ChannelTownshipListView, ChannelTownshipDetailView = _views(
    "township"
)
DistrictListView, DistrictDetailView, ChannelDistrictListView, ChannelDistrictDetailView = _views(
    "district"
)
