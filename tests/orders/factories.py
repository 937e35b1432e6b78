import factory

from pazar.orders.models import CargoCompany


class CargoCompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CargoCompany

    name = factory.Sequence(lambda n: f"Cargo {n}")
    erp_code = factory.Sequence(lambda n: f"CARGO{n}")
