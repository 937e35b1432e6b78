"""The cancel's plain bodies are read directly (`plain_cancel_body`), to exactly what
`OrderCancelSerializer` validates them to; any other body is left to the serializer."""

import pytest

from pazar.claims.api.serializers import OrderCancelSerializer, plain_cancel_body

PLAIN = [
    {"cancel_items": [7]},
    {"cancel_items": [7, 8], "reasons": {"7": 3, "8": 4}},
    {"cancel_items": [{"order_item": 7, "quantity": 2}, {"order_item": 8}], "reasons": {"7": 3}},
    {"cancel_items": [{"order_item": 7, "quantity": None}], "reasons": {"007": 3, "8": -1}},
    {"is_all": True, "reasons": {"7": 3}, "order": 12},
    {"is_all": True, "cancel_items": [], "is_cargo_refund": True},
    {"order": 1, "is_all": False, "cancel_items": [{"order_item": 7, "quantity": 2}],
     "reasons": {"7": 3}, "is_cargo_refund": False, "forced_refund_amount": None,
     "refund_invoice_number": "", "ibans": {}, "holder_names": {}, "descriptions": {}},
    {"cancel_items": [7], "refund_invoice_number": None, "unknown": "ignored"},
    {"cancel_items": [2**62], "reasons": {str(2**62): 2**62}, "order": -5},
]  # fmt: skip

LEFT_TO_THE_SERIALIZER = [
    [7],
    {},
    {"cancel_items": []},
    {"is_all": True, "cancel_items": [7]},
    {"cancel_items": "7"},
    {"cancel_items": ["7"]},
    {"cancel_items": [True]},
    {"cancel_items": [7.0]},
    {"cancel_items": [{"order_item": 7, "quantity": 0}]},
    {"cancel_items": [{"order_item": 7, "quantity": True}]},
    {"cancel_items": [{"order_item": "7"}]},
    {"cancel_items": [{"order_item": 7, "other": 1}]},
    {"cancel_items": [7], "order": "12"},
    {"cancel_items": [7], "order": True},
    {"cancel_items": [7], "order": None},
    {"cancel_items": [7], "is_all": "false"},
    {"cancel_items": [7], "is_all": 0},
    {"cancel_items": [7], "is_cargo_refund": "maybe"},
    {"cancel_items": [7], "is_cargo_refund": None},
    {"cancel_items": [7], "reasons": {"a": 1}},
    {"cancel_items": [7], "reasons": {"7": "3"}},
    {"cancel_items": [7], "reasons": {"7": True}},
    {"cancel_items": [7], "reasons": {"7": None}},
    {"cancel_items": [7], "reasons": []},
    {"cancel_items": [7], "reasons": None},
    {"cancel_items": [7], "descriptions": {"7": " why "}},
    {"cancel_items": [7], "descriptions": None},
    {"cancel_items": [7], "ibans": {"7": "TR00"}},
    {"cancel_items": [7], "holder_names": {"7": ""}},
    {"cancel_items": [7], "forced_refund_amount": "10.50"},
    {"cancel_items": [7], "forced_refund_amount": 0},
    {"cancel_items": [7], "refund_invoice_number": "INV-1"},
    {"cancel_items": [7], "refund_invoice_number": 0},
    {"cancel_items": [7], "refund_invoice_number": False},
    {"cancel_items": [7], "refund_invoice_number": " "},
]


def _serialized(body):
    serializer = OrderCancelSerializer(data=body)
    return dict(serializer.validated_data) if serializer.is_valid() else serializer.errors


@pytest.mark.parametrize("body", PLAIN)
def test_a_plain_body_is_read_as_the_serializer_validates_it(body):
    assert plain_cancel_body(body) == _serialized(body)


@pytest.mark.parametrize("body", LEFT_TO_THE_SERIALIZER)
def test_any_other_body_is_left_to_the_serializer(body):
    assert plain_cancel_body(body) is None
