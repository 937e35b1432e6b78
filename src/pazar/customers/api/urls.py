from django.urls import path

from pazar.customers.api import views

channel_urlpatterns = [
    path("customers/", views.CustomerListView.as_view(), name="channel-customer-list"),
    path("customers/<int:pk>/", views.CustomerDetailView.as_view(), name="channel-customer-detail"),
    path("addresses/", views.AddressListView.as_view(), name="channel-address-list"),
    path("addresses/<int:pk>/", views.AddressDetailView.as_view(), name="channel-address-detail"),
]
