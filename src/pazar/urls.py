from django.contrib import admin
from django.urls import include, path

from pazar.backoffice.urls import admin_urlpatterns as backoffice
from pazar.core.views import health, metrics

urlpatterns = [
    path("omnitron/", include(("pazar.sites.omnitron", "omnitron"), namespace="omnitron")),
    path(
        "seller-center/",
        include(("pazar.sites.seller_center", "seller-center"), namespace="seller-center"),
    ),
    path(
        "whippy-ware/", include(("pazar.sites.whippy_ware", "whippy-ware"), namespace="whippy-ware")
    ),
    path("health/", health, name="health"),
    path("metrics", metrics, name="metrics"),
    path("files/", include("pazar.images.urls")),
    # The back office: its own pages first, then the admin's model pages; a language switch.
    path("admin/", include((backoffice, "backoffice"), namespace="backoffice")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

handler400 = "pazar.sites.errors.bad_request"
handler403 = "pazar.sites.errors.permission_denied"
handler404 = "pazar.sites.errors.not_found"
handler500 = "pazar.sites.errors.server_error"
