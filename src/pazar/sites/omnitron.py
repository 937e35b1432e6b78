from pazar.accounts.api.urls import omnitron_urlpatterns as accounts
from pazar.inventory.api.urls import omnitron_urlpatterns as inventory
from pazar.pricing.api.urls import omnitron_urlpatterns as pricing
from pazar.sites.schema import schema_urlpatterns

api_urlpatterns = [*accounts, *pricing, *inventory]
urlpatterns = [*api_urlpatterns, *schema_urlpatterns("omnitron", "pazar.sites.omnitron_api")]
