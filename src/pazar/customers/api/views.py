"""A sales channel's customers and addresses (`/api/v1/channel/{cid}/customers/`, `addresses/`).

Writes go through `pazar.customers.services`; a channel sees only its own customers and their
addresses.
"""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics

from pazar.accounts.sites import OmnitronView
from pazar.channels.api.channel_scope import ChannelScopedMixin
from pazar.core.services import field_error
from pazar.customers import services
from pazar.customers.api import filters, serializers
from pazar.customers.models import Address, Customer

CUSTOMER_EXAMPLE = OpenApiExample(
    "Customer",
    value={
        "channel": 1,
        "email": "ayse@example.com",
        "phone_number": "05556667788",
        "first_name": "Ayşe",
        "last_name": "Yılmaz",
        "extra_field": {},
        "channel_code": "C-1001",
        "is_active": True,
    },
    request_only=True,
)
ADDRESS_EXAMPLE = OpenApiExample(
    "Address",
    value={
        "customer": 1,
        "email": "ayse@example.com",
        "phone_number": "05556667788",
        "first_name": "Ayşe",
        "last_name": "Yılmaz",
        "country": 1,
        "city": 1,
        "township": 1,
        "district": None,
        "line": "Moda Caddesi 1",
        "postcode": "34710",
    },
    request_only=True,
)


class ChannelCustomersMixin(ChannelScopedMixin, OmnitronView):
    serializer_class = serializers.CustomerSerializer

    def get_queryset(self):
        return Customer.objects.filter(channel_id=self.channel_id).order_by("pk")


@extend_schema_view(
    get=extend_schema(summary="Find a channel's customers (`?email=` or `?phone_number=`)"),
    post=extend_schema(summary="Create a customer", examples=[CUSTOMER_EXAMPLE]),
)
class CustomerListView(ChannelCustomersMixin, generics.ListCreateAPIView):
    filterset_class = filters.CustomerFilter

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        channel = data.pop("channel", self.channel)
        if channel.pk != self.channel.pk:
            raise field_error("channel", "Customers are created in the URL's channel.", "invalid")
        serializer.instance = services.customer_create(channel=self.channel, **data)


@extend_schema_view(
    get=extend_schema(summary="Read a customer"),
    patch=extend_schema(summary="Change a customer"),
)
class CustomerDetailView(ChannelCustomersMixin, generics.RetrieveUpdateAPIView):
    http_method_names = ["get", "patch", "head", "options"]

    def perform_update(self, serializer):
        serializer.instance = services.customer_update(
            customer=serializer.instance, data=serializer.validated_data
        )


class ChannelAddressesMixin(ChannelScopedMixin, OmnitronView):
    serializer_class = serializers.AddressSerializer

    def get_queryset(self):
        return Address.objects.filter(customer__channel_id=self.channel_id).order_by("pk")


@extend_schema_view(
    get=extend_schema(summary="Find addresses (`?hash_data=`)"),
    post=extend_schema(
        summary="Create an address",
        description='An address stored already is a 400 `{"non_field_errors": '
        '"hash_data:<hash>"}` (a string); read it with `?hash_data=<hash>`.',
        examples=[ADDRESS_EXAMPLE],
        responses={201: serializers.AddressSerializer, 400: OpenApiResponse(description="…")},
    ),
)
class AddressListView(ChannelAddressesMixin, generics.ListCreateAPIView):
    filterset_class = filters.AddressFilter

    def perform_create(self, serializer):
        customer = serializer.validated_data.get("customer")
        if customer is not None and customer.channel_id != self.channel.pk:
            raise field_error("customer", "This customer is another channel's.", "invalid")
        serializer.instance = services.address_create(**serializer.validated_data)


@extend_schema_view(get=extend_schema(summary="Read an address"))
class AddressDetailView(ChannelAddressesMixin, generics.RetrieveAPIView):
    pass
