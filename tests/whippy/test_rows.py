"""The fast row parser of POST /api/v1/stocks/ accepts, refuses and words errors exactly as the
documented serializer does."""

import pytest

from pazar.whippy.api.rows import parse_stock_row
from pazar.whippy.api.serializers import StockRowSerializer

GOOD = {"sku": "A", "provider": "p", "location": "110", "stock": 5}
CASES = [
    GOOD,
    {},
    {"sku": None, "provider": "", "location": "   ", "stock": None},
    {**GOOD, "sku": " padded ", "location": 110, "provider": 1.5},
    {**GOOD, "sku": True, "provider": ["p"], "location": {"code": 1}},
    {**GOOD, "sku": "x" * 256, "provider": "y" * 101},
    {**GOOD, "stock": "7"},
    {**GOOD, "stock": "7.00"},
    {**GOOD, "stock": 7.0},
    {**GOOD, "stock": 7.5},
    {**GOOD, "stock": "-3"},
    {**GOOD, "stock": "+3"},
    {**GOOD, "stock": " 4 "},
    {**GOOD, "stock": True},
    {**GOOD, "stock": "many"},
    {**GOOD, "stock": 1e20},
    {**GOOD, "stock": 2147483648},
    {**GOOD, "stock": -2147483649},
    {**GOOD, "stock": "9" * 1001},
    {**GOOD, "reserved_stock": -1},
    {**GOOD, "reserved_stock": None},
    {**GOOD, "reserved_stock": "2"},
    {**GOOD, "unit_type": "kg"},
    {**GOOD, "unit_type": "KG"},
    {**GOOD, "unit_type": 1},
    {**GOOD, "unit_type": ""},
    {**GOOD, "stock_type": ""},
    {**GOOD, "stock_type": "outlet"},
    {**GOOD, "stock_type": "s" * 51},
    {**GOOD, "period": None},
    {**GOOD, "period": "2025-01-05"},
    {**GOOD, "period": "2025-1-5"},
    {**GOOD, "period": "2025-02-30"},
    {**GOOD, "period": " 2025-01-05"},
    {**GOOD, "period": 20250105},
    {**GOOD, "period": "05.01.2025"},
    {**GOOD, "is_active": "false"},
    {**GOOD, "is_active": 0},
    {**GOOD, "is_active": "nope"},
    {**GOOD, "is_active": None},
    {**GOOD, "is_active": []},
    {**GOOD, "unknown": "ignored"},
]


@pytest.mark.parametrize("row", CASES)
def test_the_fast_parser_agrees_with_the_serializer(row):
    serializer = StockRowSerializer(data=row)
    valid = serializer.is_valid()

    data, errors = parse_stock_row(row)

    if valid:
        assert errors == {}
        assert data == dict(serializer.validated_data)
    else:
        assert errors == serializer.errors
