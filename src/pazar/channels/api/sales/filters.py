import django_filters
from django.contrib.contenttypes.models import ContentType

from pazar.api.filters import TEXT_LOOKUPS, IntegerFilter, IntegerInFilter
from pazar.api.omnitron import OmnitronFilterSet
from pazar.api.omnitron_filters import CharInFilter, sort_filter
from pazar.channels.models import (
    AddressErrorReport,
    BatchRequest,
    ErrorReport,
    IntegrationAction,
)


class ChannelParams(OmnitronFilterSet):
    """`channel` / `channel_id` are accepted (the URL already names the channel)."""

    channel = IntegerFilter(field_name="channel_id")
    channel_id = IntegerFilter(field_name="channel_id")


class BatchRequestFilter(ChannelParams):
    local_batch_id = django_filters.UUIDFilter()
    sort = sort_filter("status")

    class Meta:
        model = BatchRequest
        fields = {
            "status": ["exact", "in"],
            "content_type": ["exact", "in"],
            "remote_batch_id": ["exact", "in"],
        }


class IntegrationActionFilter(ChannelParams):
    content_type = IntegerFilter(field_name="content_type_id")
    content_type_id = IntegerFilter(field_name="content_type_id")
    content_type_name = django_filters.CharFilter(field_name="content_type__model")
    content_type__model = django_filters.CharFilter(field_name="content_type__model")
    object_id = IntegerFilter()
    object_id__in = IntegerInFilter(field_name="object_id", lookup_expr="in")
    remote_id = django_filters.CharFilter()
    remote_id__in = CharInFilter(field_name="remote_id", lookup_expr="in")
    local_batch_id = django_filters.UUIDFilter(field_name="batch_request__local_batch_id")
    sort = sort_filter("object_id", "version_date", "remote_id")

    class Meta:
        model = IntegrationAction
        fields = {"status": ["exact", "in"], "version_date": ["gt", "gte", "lt", "lte"]}


class DeletedActionFilter(ChannelParams):
    model = django_filters.CharFilter(method="ignore", help_text="The model whose actions to list.")
    sort = sort_filter("object_id")

    class Meta:
        model = IntegrationAction
        fields: dict = {}

    def ignore(self, queryset, name, value):
        return queryset


class ErrorReportFilter(ChannelParams):
    action_content_type = django_filters.ModelChoiceFilter(queryset=ContentType.objects.all())
    target_content_type = django_filters.ModelChoiceFilter(queryset=ContentType.objects.all())
    sort = sort_filter()

    class Meta:
        model = ErrorReport
        fields = {
            "action_object_id": ["exact", "in"],
            "target_object_id": ["exact", "in"],
            "error_code": TEXT_LOOKUPS,
            "is_ok": ["exact"],
        }


class AddressErrorReportFilter(ChannelParams):
    sort = sort_filter()

    class Meta:
        model = AddressErrorReport
        fields = {
            "type": ["exact", "in"],
            "remote_code": ["exact", "in"],
            "integration_type": ["exact"],
        }
