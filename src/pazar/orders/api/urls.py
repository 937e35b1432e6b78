from django.urls import path

from pazar.orders.api import views

payment_paths = []
for resource in views.PAYMENT_RESOURCES:
    listed, detail = views.payment_views(resource)
    payment_paths += [
        path(f"api/v1/{resource}/", listed.as_view(), name=f"{resource}-list"),
        path(f"api/v1/{resource}/<int:pk>/", detail.as_view(), name=f"{resource}-detail"),
    ]

omnitron_urlpatterns = [
    *payment_paths,
    path(
        "api/v1/cargo_companies/", views.CargoCompanyListView.as_view(), name="cargo-company-list"
    ),
    path(
        "api/v1/cargo_companies/<int:pk>/",
        views.CargoCompanyDetailView.as_view(),
        name="cargo-company-detail",
    ),
    path("api/v1/orders/", views.OrderListView.as_view(), name="order-list"),
    path("api/i1/orders/", views.IntegrationOrderListView.as_view(), name="order-list-i1"),
    path("api/v1/orders/<int:pk>/", views.OrderDetailView.as_view(), name="order-detail"),
    path(
        "api/v1/order_number/<str:number>/",
        views.OrderByNumberView.as_view(),
        name="order-by-number",
    ),
    path("api/v1/order_items/", views.OrderItemListView.as_view(), name="order-item-list"),
    path(
        "api/v1/order_items/<int:pk>/",
        views.OrderItemDetailView.as_view(),
        name="order-item-detail",
    ),
    path(
        "api/i1/order_items/bulk_status_update/",
        views.OrderItemBulkStatusView.as_view(),
        name="order-item-bulk-status",
    ),
    path(
        "api/i1/order_items/<int:pk>/create_mapping/",
        views.OrderItemMappingView.as_view(),
        name="order-item-create-mapping",
    ),
]
channel_urlpatterns = [
    path("cargos/", views.ChannelCargoListView.as_view(), name="channel-cargo-list"),
    path("cargos/<int:pk>/", views.ChannelCargoDetailView.as_view(), name="channel-cargo-detail"),
    path("orders/", views.ChannelOrderListView.as_view(), name="channel-order-list"),
    path("orders/updates/", views.ChannelOrderUpdatesView.as_view(), name="channel-order-updates"),
    path("orders/<int:pk>/", views.ChannelOrderDetailView.as_view(), name="channel-order-detail"),
    path("order_items/", views.ChannelOrderItemListView.as_view(), name="channel-order-item-list"),
    path(
        "order_shipping_infos/",
        views.ChannelOrderShippingInfoView.as_view(),
        name="channel-order-shipping-info",
    ),
    path(
        "order_items/<int:pk>/",
        views.ChannelOrderItemDetailView.as_view(),
        name="channel-order-item-detail",
    ),
]
