"""Batch requests, integration actions and error reports of a sales channel (omnitron.md §11).

Writes go through `pazar.channels.services.integration`; the views parse and serialize.
"""

from django.http import Http404
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from pazar.channels import selectors
from pazar.channels.api.sales import filters, serializers
from pazar.channels.api.sales.base import ChannelView
from pazar.channels.models import AddressErrorReport, BatchRequest, ErrorReport
from pazar.channels.services import integration as services


def _example(name: str, value) -> OpenApiExample:
    return OpenApiExample(name, value=value, request_only=True)


# --- batch requests -------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(summary="List a channel's batch requests"),
    post=extend_schema(
        summary="Start a batch request",
        description="Answers `status=initialized` with a fresh `local_batch_id`.",
        examples=[_example("New batch", {"channel": 1})],
    ),
)
class BatchRequestListView(ChannelView, generics.ListCreateAPIView):
    serializer_class = serializers.BatchRequestSerializer
    filterset_class = filters.BatchRequestFilter

    def get_queryset(self):
        return BatchRequest.objects.filter(channel=self.channel).order_by("pk")

    def perform_create(self, serializer):
        serializer.instance = services.batch_request_create(
            channel=self.channel, user=self.request.user
        )

    def create(self, request, *args, **kwargs):
        """DRF's `create`; a body naming none of the fields a batch is written with (`{"channel":
        1}`, as connectors send it) has nothing to check: the batch is inserted if the URL's
        channel exists, in one statement (an unknown channel takes DRF's way, and its 404)."""
        writable = serializers.batch_request_writable_fields()
        if type(request.data) is dict and writable.isdisjoint(request.data):
            batch = services.batch_request_create_for(
                channel_id=self.kwargs["channel_id"], user=request.user
            )
            if batch is not None:
                return Response(self.get_serializer(batch).data, status=status.HTTP_201_CREATED)
        return super().create(request, *args, **kwargs)


@extend_schema_view(
    get=extend_schema(summary="Read a batch request"),
    patch=extend_schema(
        summary="Move a batch request",
        description="`initialized → commit → sent_to_remote → ongoing → done | fail`; `commit` "
        "may repeat and `commit → done | fail` is allowed. `commit` holds its `objects` (their "
        "integration actions become `processing`); `done` records each object's `remote_id` "
        "and `version_date` (or the failure), `fail` releases them. An illegal move, or any "
        "change to a closed batch, is a 406 with code `batch_request_status_100_1`.",
        examples=[
            _example(
                "Commit",
                {
                    "status": "commit",
                    "content_type": "product",
                    "objects": [
                        {
                            "pk": 12,
                            "version_date": "2026-01-02T10:00:00Z",
                            "content_type": "product",
                        }
                    ],
                },
            ),
            _example(
                "Done",
                {
                    "status": "done",
                    "objects": [{"pk": 12, "remote_id": "R-12", "failed_reason_type": None}],
                },
            ),
        ],
    ),
    delete=extend_schema(summary="Delete a batch request"),
)
class BatchRequestDetailView(ChannelView, generics.RetrieveUpdateDestroyAPIView):
    serializer_class = serializers.BatchRequestSerializer

    def get_queryset(self):
        return BatchRequest.objects.filter(channel=self.channel)

    def get_object(self):
        """DRF's `get_object` (no filters apply to one batch), read in one prepared statement."""
        batch = selectors.channel_batch_request(channel=self.channel, pk=self.kwargs["pk"])
        if batch is None:
            raise Http404("No BatchRequest matches the given query.")
        self.check_object_permissions(self.request, batch)
        return batch

    def partial_update(self, request, *args, **kwargs):
        """DRF's `partial_update`; a body of the usual kinds of values (`plain_batch_change`)
        goes straight to the move, which reads the channel's batch once, locked (a channel or
        batch it does not find takes DRF's way, and its 404). Taken only while no permission
        of the view looks at the batch itself (`has_object_permission`), which the move comes
        before."""
        data = serializers.plain_batch_change(request.data)
        if data is not None and not self._object_permissions():
            batch = services.batch_request_move(
                channel_id=self.kwargs["channel_id"], pk=self.kwargs["pk"], data=data,
                user=request.user,
            )  # fmt: skip
            if batch is not None:
                return Response(self.get_serializer(batch).data)
        return super().partial_update(request, *args, **kwargs)

    def _object_permissions(self) -> bool:
        return any(
            type(permission).has_object_permission is not BasePermission.has_object_permission
            for permission in self.get_permissions()
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        if "items" in data:
            data["objects"] = data.pop("items")
        serializer.instance = services.batch_request_update(
            batch=serializer.instance, data=data, user=self.request.user
        )


# --- integration actions --------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        summary="List a channel's integration actions",
        description="Filter with `content_type_name=product`, `object_id__in=1,2`, "
        "`remote_id__in`, `local_batch_id`, `status` (repeat for several), `sort=id`.",
    ),
    post=extend_schema(
        summary="Record an object's remote id",
        description="The content type as `content_type_id`, or `content_type` (a model name "
        "or an id). One action per object and channel (400 on a second).",
        examples=[
            _example(
                "Category node",
                {
                    "channel_id": 1,
                    "content_type_id": 31,
                    "object_id": 5,
                    "remote_id": "cat-5",
                    "version_date": "2026-01-02 10:00:00",
                },
            )
        ],
    ),
)
class IntegrationActionListView(ChannelView, generics.ListCreateAPIView):
    serializer_class = serializers.IntegrationActionSerializer
    filterset_class = filters.IntegrationActionFilter

    def get_queryset(self):
        return selectors.integration_actions(self.channel)

    def perform_create(self, serializer):
        serializer.instance = services.integration_action_create(
            channel=self.channel, **serializer.validated_data
        )


@extend_schema_view(
    get=extend_schema(summary="Read an integration action"),
    patch=extend_schema(summary="Change an integration action (e.g. its `version_date`)"),
    delete=extend_schema(summary="Forget an integration action"),
)
class IntegrationActionDetailView(ChannelView, generics.RetrieveUpdateDestroyAPIView):
    serializer_class = serializers.IntegrationActionChangeSerializer

    def get_queryset(self):
        return selectors.integration_actions(self.channel)

    def perform_update(self, serializer):
        serializer.instance = services.integration_action_update(
            action=serializer.instance, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.integration_action_delete(action=instance)


@extend_schema_view(
    get=extend_schema(
        summary="List actions whose object was deleted",
        description="`?model=product`: the channel still has these objects; remove them "
        "remotely, then DELETE the action.",
    )
)
class DeletedIntegrationActionListView(ChannelView, generics.ListAPIView):
    serializer_class = serializers.IntegrationActionSerializer
    filterset_class = filters.DeletedActionFilter

    def get_queryset(self):
        model = self.request.query_params.get("model") or None
        return selectors.deleted_actions(channel=self.channel, model_name=model).order_by("pk")


# --- error reports --------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(summary="List a channel's error reports"),
    post=extend_schema(
        summary="Report a failure",
        examples=[
            _example(
                "Batch failure",
                {
                    "action_content_type": 12,
                    "action_object_id": 7,
                    "target_content_type": 9,
                    "target_object_id": 1,
                    "obj_modified_date": "2026-01-02T10:00:00Z",
                    "error_code": "5f0c…-Omnitron-GetInsertedProducts",
                    "error_desc": "mapping failed",
                    "raw_request": "GET - https://… - ",
                    "raw_response": "",
                    "is_ok": False,
                },
            )
        ],
    ),
)
class ErrorReportListView(ChannelView, generics.ListCreateAPIView):
    serializer_class = serializers.ErrorReportSerializer
    filterset_class = filters.ErrorReportFilter

    def get_queryset(self):
        return ErrorReport.objects.filter(channel=self.channel).order_by("pk")

    def perform_create(self, serializer):
        serializer.instance = services.error_report_create(
            channel=self.channel, data=serializer.validated_data
        )


@extend_schema_view(get=extend_schema(summary="Read an error report"))
class ErrorReportDetailView(ChannelView, generics.RetrieveAPIView):
    serializer_class = serializers.ErrorReportSerializer

    def get_queryset(self):
        return ErrorReport.objects.filter(channel=self.channel)


ADDRESS_TYPES = ["distinct", "country", "city", "township", "district"]


@extend_schema_view(
    get=extend_schema(
        summary="List unmapped places of imported addresses",
    ),
    post=extend_schema(
        summary="Report an unmapped place",
        description="`distinct/` or `country/`, `city/`, `township/`, `district/`: the body "
        "(`type`, `remote_code`, `name`, `integration_type`, `err_code`, `err_desc`, and "
        "country/city ids or codes) is kept whole; the same place reported again refreshes "
        "its report.",
        request=dict,
        examples=[
            _example(
                "City",
                {
                    "type": "city",
                    "remote_code": "34",
                    "country_id": 1,
                    "name": "Istanbul",
                    "integration_type": "sales_channel",
                    "err_code": "city_not_found",
                    "err_desc": "No city named Istanbul",
                },
            )
        ],
    ),
)
class AddressErrorReportView(ChannelView, generics.ListCreateAPIView):
    """`error_reports/<kind>/`, one URL per address type (`ADDRESS_TYPES`)."""

    serializer_class = serializers.AddressErrorReportSerializer
    filterset_class = filters.AddressErrorReportFilter
    kind = "distinct"

    def get_queryset(self):
        reports = AddressErrorReport.objects.filter(channel=self.channel).order_by("pk")
        if self.kind != "distinct":
            reports = reports.filter(type=self.kind)
        return reports

    def create(self, request, *args, **kwargs):
        body = serializers.AddressErrorReportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = services.address_error_report(
            channel=self.channel,
            type="" if self.kind == "distinct" else self.kind,
            data=body.validated_data,
        )
        return Response(self.get_serializer(report).data, status=status.HTTP_201_CREATED)
