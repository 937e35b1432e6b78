from pazar.accounts.api.urls import omnitron_urlpatterns as accounts
from pazar.sites.schema import schema_urlpatterns

api_urlpatterns = [*accounts]
urlpatterns = [*api_urlpatterns, *schema_urlpatterns("omnitron", "pazar.sites.omnitron_api")]
