from pazar.sites.whippy_ware import api_urlpatterns as urlpatterns  # noqa: F401 - schema urlconf
