from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from pazar.accounts.models import SellerAccessToken
from pazar.accounts.sites import SellerCenterView
from pazar.batches import files, selectors
from pazar.batches.api.serializers import BatchRequestSerializer
from pazar.batches.models import BatchRequest


class BatchRequestView(SellerCenterView, APIView):
    """PRD107: where a batch stands, with links to its request, success and error files."""

    throttle_family = "products"

    @extend_schema(
        operation_id="PRD107_batch_request",
        summary="Follow a batch request",
        description=(
            "Where a batch of rows stands (waiting, processing, completed, failed), how many "
            "rows succeeded and failed, and links to its request, success and error files."
        ),
        responses={200: BatchRequestSerializer},
    )
    def get(self, request, id):
        batch = selectors.seller_batch(seller=request.auth.seller, batch_id=id)
        if batch is None:
            raise NotFound()
        return Response(BatchRequestSerializer(batch, context={"request": request}).data)


# A batch's files are JSON lists: `request` the rows as they were sent, `success` one entry per
# row applied, `error` one entry per row refused (pazar.marketplace.services.products).
BATCH_FILE = {
    "type": "array",
    "items": {
        "anyOf": [
            {
                "type": "object",
                "title": "Applied row",
                "properties": {
                    "index": {"type": "integer", "description": "The row's place in the body."},
                    "sku": {"type": "string"},
                    "id": {
                        "type": "string",
                        "format": "uuid",
                        "description": "PRD101: the product.",
                    },
                },
                "required": ["index", "sku"],
            },
            {
                "type": "object",
                "title": "Refused row",
                "properties": {
                    "index": {"type": "integer", "description": "The row's place in the body."},
                    "sku": {"description": "The row's `sku`, as sent (null without one)."},
                    "row": {"description": "The row as it was sent."},
                    "errors": {"type": "object", "description": "Field errors of the row."},
                    "codes": {
                        "type": "object",
                        "description": "The same shape as `errors`, each message's stable code "
                        "in its place (docs/seller-center.md, Row error codes).",
                    },
                },
                "required": ["index", "sku", "row", "errors", "codes"],
            },
            {"type": "object", "title": "Row as sent", "description": "A row of the request."},
        ]
    },
}


class BatchFileView(SellerCenterView, APIView):
    """A batch's file: with the link's `token` (valid for an hour), or the seller's own token."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="batch_request_file",
        parameters=[
            OpenApiParameter("token", OpenApiTypes.STR, description="From the PRD107 link.")
        ],
        responses={
            (200, "application/json"): OpenApiResponse(
                BATCH_FILE,
                description="`request`: the rows as sent; `success`: `{index, sku, id}` per "
                "row applied; `error`: `{index, sku, row, errors}` per row refused.",
            )
        },
    )
    def get(self, request, id, kind):
        token = request.query_params.get("token", "")
        if files.signature_valid(token, id, kind):
            batch = BatchRequest.objects.filter(pk=id).first()
        elif isinstance(request.auth, SellerAccessToken):
            batch = selectors.seller_batch(seller=request.auth.seller, batch_id=id)
        else:
            batch = None
        name = getattr(batch, f"{kind}_file", "") if batch else ""
        if not name:
            raise NotFound()
        response = FileResponse(files.open_file(name), content_type="application/json")
        response["Content-Disposition"] = f'inline; filename="{id}{files.KINDS[kind]}.json"'
        return response
