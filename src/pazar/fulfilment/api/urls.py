from django.urls import path

from pazar.fulfilment.api import views

channel_urlpatterns = [
    path("create_orders/", views.CreateOrdersView.as_view(), name="channel-create-orders"),
]
