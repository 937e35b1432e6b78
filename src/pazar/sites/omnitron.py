from pazar.accounts.api.urls import omnitron_urlpatterns as accounts
from pazar.applications.api.urls import omnitron_urlpatterns as applications
from pazar.catalog.api.urls import omnitron_urlpatterns as catalog
from pazar.channels.api.urls import omnitron_urlpatterns as channels
from pazar.images.api.urls import omnitron_urlpatterns as images
from pazar.inventory.api.urls import omnitron_urlpatterns as inventory
from pazar.marketplace.api.omnitron.urls import omnitron_urlpatterns as marketplace
from pazar.pricing.api.urls import omnitron_urlpatterns as pricing
from pazar.sites.dynamic_settings.urls import omnitron_urlpatterns as dynamic_settings
from pazar.sites.schema import schema_urlpatterns

api_urlpatterns = [
    *accounts, *applications, *catalog, *images, *pricing, *inventory, *channels, *marketplace,
    *dynamic_settings,
]  # fmt: skip
urlpatterns = [*api_urlpatterns, *schema_urlpatterns("omnitron", "pazar.sites.omnitron_api")]
