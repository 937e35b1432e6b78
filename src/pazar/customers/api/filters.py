import django_filters

from pazar.api.filters import TEXT_LOOKUPS
from pazar.api.omnitron import OmnitronFilterSet
from pazar.api.omnitron_filters import RelatedPk, sort_filter
from pazar.customers.models import Address, Customer

CHANNEL, CUSTOMER = RelatedPk("channel"), RelatedPk("customer")


class CustomerFilter(OmnitronFilterSet):
    channel = CHANNEL.exact()
    channel_id = CHANNEL.exact()
    sort = sort_filter("email")

    class Meta:
        model = Customer
        fields = {
            "email": TEXT_LOOKUPS,
            "phone_number": TEXT_LOOKUPS,
            "channel_code": ["exact", "in"],
            "first_name": TEXT_LOOKUPS,
            "last_name": TEXT_LOOKUPS,
            "is_active": ["exact"],
        }


class AddressFilter(OmnitronFilterSet):
    customer = CUSTOMER.exact()
    hash_data = django_filters.CharFilter()
    sort = sort_filter()

    class Meta:
        model = Address
        fields = {"remote_id": ["exact"], "is_active": ["exact"], "address_type": ["exact"]}
