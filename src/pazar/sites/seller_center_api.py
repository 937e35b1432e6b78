from pazar.sites.seller_center import api_urlpatterns as urlpatterns  # noqa: F401 - schema urlconf
