import factory

from pazar.customers.models import Address, Customer
from tests.channels.factories import ChannelFactory
from tests.geography.factories import TownshipFactory


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    channel = factory.SubFactory(ChannelFactory)
    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    phone_number = factory.Sequence(lambda n: f"0555{n:07d}")
    first_name = "Ayşe"
    last_name = "Yılmaz"


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    customer = factory.SubFactory(CustomerFactory)
    first_name = "Ayşe"
    last_name = "Yılmaz"
    township = factory.SubFactory(TownshipFactory)
    city = factory.SelfAttribute("township.city")
    country = factory.SelfAttribute("township.country")
    line = factory.Sequence(lambda n: f"Moda Caddesi {n}")
    hash_data = factory.Sequence(lambda n: f"{n:032x}")
