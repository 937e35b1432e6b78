from django.urls import include, path

from pazar.accounts.api.urls import seller_center_urlpatterns as accounts
from pazar.backoffice.urls import panel_urlpatterns as panel
from pazar.batches.api.urls import seller_center_urlpatterns as batches
from pazar.languages.api.urls import seller_center_urlpatterns as languages
from pazar.marketplace.api.urls import seller_center_urlpatterns as marketplace
from pazar.sites.schema import schema_urlpatterns

api_urlpatterns = [*accounts, *languages, *marketplace, *batches]
urlpatterns = [
    *api_urlpatterns,
    *schema_urlpatterns("seller-center", "pazar.sites.seller_center_api"),
    path("panel/", include(panel)),  # sellers' pages in the browser, outside the API schema
]
