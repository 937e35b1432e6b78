"""factory_boy factories of applications and their permissions."""

import factory

from pazar.applications.models import Application, ApplicationPermission


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    name = factory.Sequence(lambda n: f"Application {n}")
    application_type = "extension"
    config = factory.LazyFunction(lambda: {"visible_type": "empty"})


class ProxiedApplicationFactory(ApplicationFactory):
    """A proxy-enabled application; pass `web_url=` (a LocalApp's `base_url`)."""

    class Params:
        web_url = "https://app.example/"

    is_proxy_available = True
    config = factory.LazyAttribute(lambda o: {"web_url": o.web_url, "visible_type": "empty"})


class ApplicationPermissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationPermission

    application = factory.SubFactory(ApplicationFactory)
    name = factory.Sequence(lambda n: f"permission {n}")
    path = "/orders"
    label = "view"
