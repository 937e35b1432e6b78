from django.urls import include, path

from pazar.accounts.api.urls import omnitron_urlpatterns as accounts
from pazar.applications.api.urls import omnitron_urlpatterns as applications
from pazar.catalog.api.urls import omnitron_urlpatterns as catalog
from pazar.channels.api.urls import omnitron_urlpatterns as channels
from pazar.claims.api.urls import channel_urlpatterns as claims_channel
from pazar.claims.api.urls import omnitron_urlpatterns as claims
from pazar.customers.api.urls import channel_urlpatterns as customers_channel
from pazar.fulfilment.api.urls import channel_urlpatterns as fulfilment_channel
from pazar.geography.api.urls import channel_urlpatterns as geography_channel
from pazar.geography.api.urls import omnitron_urlpatterns as geography
from pazar.images.api.urls import omnitron_urlpatterns as images
from pazar.inventory.api.urls import omnitron_urlpatterns as inventory
from pazar.marketplace.api.omnitron.urls import omnitron_urlpatterns as marketplace
from pazar.orders.api.urls import channel_urlpatterns as orders_channel
from pazar.orders.api.urls import omnitron_urlpatterns as orders
from pazar.pricing.api.urls import omnitron_urlpatterns as pricing
from pazar.sites.dynamic_settings.urls import omnitron_urlpatterns as dynamic_settings
from pazar.sites.schema import schema_urlpatterns

# The sales-channel API of order intake (omnitron.md §11): places, customers, addresses, cargos,
# orders; under /api/v1/channel/{cid}/.
order_intake_channel_urlpatterns = [
    *geography_channel, *customers_channel, *orders_channel, *fulfilment_channel,
    *claims_channel,
]  # fmt: skip

api_urlpatterns = [
    *accounts, *applications, *catalog, *images, *pricing, *inventory, *channels, *marketplace,
    *dynamic_settings,
    *geography, *orders, *claims,
    path("api/v1/channel/<int:cid>/", include(order_intake_channel_urlpatterns)),
]  # fmt: skip
urlpatterns = [*api_urlpatterns, *schema_urlpatterns("omnitron", "pazar.sites.omnitron_api")]
