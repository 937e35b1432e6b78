from pazar.sites.omnitron import api_urlpatterns as urlpatterns  # noqa: F401 - schema urlconf
