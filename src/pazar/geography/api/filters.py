import django_filters
from django.contrib.contenttypes.models import ContentType

from pazar.api.filters import TEXT_LOOKUPS
from pazar.api.omnitron import OmnitronFilterSet
from pazar.api.omnitron_filters import RelatedPk, sort_filter
from pazar.geography.models import City, Country, District, Mapping, Township

MAPPING_PARAMS = ["mapping__code__exact", "mapping__code", "mapping__integration_type"]


class PlaceFilter(OmnitronFilterSet):
    """Names and codes (`name__exact`, `name__iexact`, `code__exact`, …), `is_active`, and a
    channel's own code: `mapping__code__exact=<channel id>_<code>` with
    `mapping__integration_type=sales_channel`, which must name the same mapping."""

    mapping__code__exact = django_filters.CharFilter(method="_by_mapping")
    mapping__code = django_filters.CharFilter(method="_by_mapping")
    mapping__integration_type = django_filters.CharFilter(method="_by_mapping")
    sort = sort_filter("name")

    def _by_mapping(self, queryset, name, value):
        return queryset  # applied together in filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        given = {name: self.form.cleaned_data.get(name) for name in MAPPING_PARAMS}
        code = given["mapping__code__exact"] or given["mapping__code"]
        kind = given["mapping__integration_type"]
        if not code and not kind:
            return queryset
        mappings = Mapping.objects.filter(
            content_type=ContentType.objects.get_for_model(queryset.model)
        )
        if code:
            mappings = mappings.filter(code=code)
        if kind:
            mappings = mappings.filter(integration_type=kind)
        return queryset.filter(pk__in=mappings.values("object_id"))


PLACE_LOOKUPS = {"name": TEXT_LOOKUPS, "code": TEXT_LOOKUPS, "is_active": ["exact"]}
COUNTRY, CITY, TOWNSHIP = RelatedPk("country"), RelatedPk("city"), RelatedPk("township")


class CountryFilter(PlaceFilter):
    class Meta:
        model = Country
        fields = PLACE_LOOKUPS


class CityFilter(PlaceFilter):
    country = COUNTRY.exact()

    class Meta:
        model = City
        fields = PLACE_LOOKUPS


class TownshipFilter(PlaceFilter):
    country = COUNTRY.exact()
    city = CITY.exact()

    class Meta:
        model = Township
        fields = PLACE_LOOKUPS


class DistrictFilter(PlaceFilter):
    country = COUNTRY.exact()
    city = CITY.exact()
    township = TOWNSHIP.exact()

    class Meta:
        model = District
        fields = PLACE_LOOKUPS
