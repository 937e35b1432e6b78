import factory
from django.contrib.contenttypes.models import ContentType

from pazar.geography.models import City, Country, District, Mapping, Township


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country

    name = factory.Sequence(lambda n: f"Country {n}")
    code = factory.Sequence(lambda n: f"C{n}")


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City

    name = factory.Sequence(lambda n: f"City {n}")
    country = factory.SubFactory(CountryFactory)


class TownshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Township

    name = factory.Sequence(lambda n: f"Township {n}")
    city = factory.SubFactory(CityFactory)
    country = factory.SelfAttribute("city.country")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    name = factory.Sequence(lambda n: f"District {n}")
    township = factory.SubFactory(TownshipFactory)
    city = factory.SelfAttribute("township.city")
    country = factory.SelfAttribute("township.country")


def mapping(place, code: str, integration_type: str = "sales_channel") -> Mapping:
    return Mapping.objects.create(
        content_type=ContentType.objects.get_for_model(place),
        object_id=place.pk,
        integration_type=integration_type,
        code=code,
    )
