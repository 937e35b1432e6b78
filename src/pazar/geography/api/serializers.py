from rest_framework import serializers

from pazar.api.omnitron import OmnitronModelSerializer
from pazar.geography.models import City, Country, District, IntegrationType, Mapping, Township


class MappingSerializer(serializers.ModelSerializer):
    integration_type = serializers.ChoiceField(
        choices=IntegrationType.choices, default=IntegrationType.SALES_CHANNEL
    )

    class Meta:
        model = Mapping
        fields = ["integration_type", "code"]


class PlaceSerializer(OmnitronModelSerializer):
    """A place; `mappings` are its codes on other systems (a channel's: `<channel id>_<code>`)."""

    mappings = MappingSerializer(
        many=True,
        required=False,
        source="mapping",
        help_text="Replaced whole when given, e.g. "
        '`[{"integration_type": "sales_channel", "code": "3_IST"}]`.',
    )

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        if "mapping" in values:
            values["mappings"] = values.pop("mapping")
        return values


PLACE_FIELDS = [
    "pk",
    "id",
    "name",
    "code",
    "is_active",
    "mappings",
    "created_date",
    "modified_date",
]


class CountrySerializer(PlaceSerializer):
    class Meta:
        model = Country
        fields = PLACE_FIELDS
        validators = []  # uniqueness is the service's rule (a field error)
        extra_kwargs = {"code": {"help_text": "e.g. `TR`; unique when given."}}


class CitySerializer(PlaceSerializer):
    class Meta:
        model = City
        validators = []
        fields = [*PLACE_FIELDS[:5], "country", "postcode", *PLACE_FIELDS[5:]]


class TownshipSerializer(PlaceSerializer):
    class Meta:
        model = Township
        validators = []
        fields = [*PLACE_FIELDS[:5], "country", "city", "postcode", *PLACE_FIELDS[5:]]


class DistrictSerializer(PlaceSerializer):
    class Meta:
        model = District
        validators = []
        fields = [*PLACE_FIELDS[:5], "country", "city", "township", "postcode", *PLACE_FIELDS[5:]]
