"""The back office's pages: operators' (under the admin) and sellers' (the Seller Center panel)."""

from django.contrib import admin
from django.urls import path

from pazar.backoffice.views import claims, operators, packages, panel, stock

# Mounted at /admin/ ahead of the admin's own URLs; staff only, like every admin page.
admin_urlpatterns = [
    path("dashboard/", admin.site.admin_view(operators.dashboard_view), name="dashboard"),
    # Not under admin/whippy/, which is the Whippy Ware models' own.
    path(
        "stock-by-location/",
        admin.site.admin_view(stock.stock_by_location),
        name="whippy-stock",
    ),
    path("stock-rules/build/", admin.site.admin_view(stock.rule_builder), name="whippy-rule-new"),
    path(
        "stock-rules/<int:rule_id>/build/",
        admin.site.admin_view(stock.rule_builder),
        name="whippy-rule-edit",
    ),
]

# Mounted at /seller-center/panel/, inside the Seller Center's namespace.
panel_urlpatterns = [
    path("", panel.home, name="panel"),
    path("sign-in/", panel.sign_in, name="panel-login"),
    path("sign-out/", panel.sign_out, name="panel-logout"),
    path("products/", panel.product_list, name="panel-products"),
    path("products/<uuid:product_id>/", panel.product_detail, name="panel-product"),
    path("batch-requests/", panel.batch_list, name="panel-batches"),
    path("batch-requests/<uuid:batch_id>/", panel.batch_detail, name="panel-batch"),
    path(
        "batch-requests/<uuid:batch_id>/progress/",
        panel.batch_progress,
        name="panel-batch-progress",
    ),
    path("uploads/", panel.upload, name="panel-uploads"),
    path("uploads/template/", panel.upload_template, name="panel-upload-template"),
    path("uploads/<uuid:import_id>/", panel.upload_detail, name="panel-upload"),
    path(
        "uploads/<uuid:import_id>/failed-rows/",
        panel.upload_failed_rows,
        name="panel-upload-failed-rows",
    ),
    path("packages/", packages.package_list, name="panel-packages"),
    path("packages/<str:number>/", packages.package_detail, name="panel-package"),
    path(
        "packages/<str:number>/<slug:action>/",
        packages.package_action,
        name="panel-package-action",
    ),
    path("claims/", claims.claim_list, name="panel-claims"),
    path("claims/<uuid:claim_id>/", claims.claim_detail, name="panel-claim"),
    path("claims/<uuid:claim_id>/<slug:action>/", claims.claim_action, name="panel-claim-action"),
    path("access-tokens/", panel.token_list, name="panel-tokens"),
    path("access-tokens/<uuid:token_id>/revoke/", panel.token_revoke, name="panel-token-revoke"),
]
