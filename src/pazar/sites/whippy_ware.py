from pazar.accounts.api.urls import whippy_ware_urlpatterns as accounts
from pazar.sites.schema import schema_urlpatterns
from pazar.whippy.api.urls import whippy_ware_urlpatterns as whippy

api_urlpatterns = [*accounts, *whippy]
urlpatterns = [*api_urlpatterns, *schema_urlpatterns("whippy-ware", "pazar.sites.whippy_ware_api")]
