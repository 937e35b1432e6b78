"""The dashboard: its figures (batches per hour, rows per second, the approval queue, stock-outs),
the SVG drawn from them, and who sees which plot."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from pazar.backoffice import charts, dashboard
from pazar.batches.models import BatchRequest, BatchStatus
from pazar.catalog.models import Product, ProductRevision
from tests.backoffice.conftest import client_for
from tests.backoffice.factories import BatchRequestFactory
from tests.factories import (
    OperatorFactory,
    ProductFactory,
    ProductRevisionFactory,
    ProductStockFactory,
    SellerFactory,
    StockListFactory,
    staff_with_perms,
)

DASHBOARD = "/admin/dashboard/"
NOW = datetime(2026, 3, 1, 12, 30, tzinfo=UTC)


def batch_at(hour_offset: float, **kwargs) -> BatchRequest:
    """A batch created `hour_offset` hours before NOW (and finished then, if completed)."""
    batch = BatchRequestFactory(**kwargs)
    moment = NOW - timedelta(hours=hour_offset)
    BatchRequest.objects.filter(pk=batch.pk).update(
        created_at=moment, finished_at=moment if batch.finished_at else None
    )
    return batch


# --- figures --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_batch_hours_count_batches_by_status_and_rows_per_second_by_hour():
    batch_at(0.1, completed=True, total=1000, processed_in=2.0)
    batch_at(0.2, completed=True, total=500, processed_in=3.0, succeeded=500, failed=0)
    batch_at(0.25, completed=True, succeeded=0, failed=10)  # all rows failed: counted as failed
    batch_at(0.3, status=BatchStatus.FAILED)
    batch_at(0.4)
    batch_at(2.2, completed=True, total=100, processed_in=0.5)
    batch_at(30, completed=True)  # before the window

    hours = dashboard.batch_hours(now=NOW)

    assert len(hours) == 24
    assert hours[-1].start == datetime(2026, 3, 1, 12, tzinfo=UTC)
    last, two_before = hours[-1], hours[-3]
    assert (last.completed, last.with_errors, last.failed, last.open) == (1, 1, 2, 1)
    assert (last.rows, last.rows_per_second) == (1510, 274.5)
    assert (two_before.with_errors, two_before.rows_per_second) == (1, 200.0)
    assert sum(h.completed + h.with_errors + h.failed + h.open for h in hours) == 6


@pytest.mark.django_db
def test_the_approval_queue_size_counts_new_products_and_changes_by_age_and_seller():
    now = timezone.now()
    acme = SellerFactory(name="Acme")
    ProductFactory(seller=acme)
    ProductFactory(seller=acme)
    old = ProductFactory()
    Product.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=3))
    revision = ProductRevisionFactory(product__seller=acme)
    ProductRevision.objects.filter(pk=revision.pk).update(created_at=now - timedelta(hours=5))
    Product.objects.filter(pk=revision.product.pk).update(created_at=now - timedelta(days=30))
    ProductFactory(live=True)  # decided: not in the queue

    size = dashboard.approval_queue_size(now=now + timedelta(minutes=1))

    assert (size.total, size.new, size.changes) == (4, 3, 1)
    # a change waits since it was proposed, not since its product was created
    assert size.by_age == {"hour": 2, "day": 1, "week": 1, "older": 0}
    assert size.by_seller[0] == ("Acme", 3)


@pytest.mark.django_db
def test_stock_outs_count_products_at_zero_per_stock_list_most_first():
    main, outlet, empty = (
        StockListFactory(name="Main"),
        StockListFactory(name="Outlet"),
        StockListFactory(name="Empty"),
    )
    for stock in ("0", "0", "5"):
        ProductStockFactory(stock_list=outlet, stock=Decimal(stock), product__approved=True)
    for stock in ("0", "1", "2", "3"):
        ProductStockFactory(stock_list=main, stock=Decimal(stock), product__approved=True)
    # products never approved are not for sale: neither out of stock nor counted
    for stock in ("0", "0", "0"):
        ProductStockFactory(stock_list=main, stock=Decimal(stock), product__approved=False)

    outs = dashboard.stock_outs()

    assert [(o.name, o.out, o.total) for o in outs] == [
        ("Outlet", 2, 3),
        ("Main", 1, 4),
        (empty.name, 0, 0),
    ]


# --- drawing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "integer", "step"),
    [
        (0, True, 1),
        (3, True, 1),
        (5, True, 2),
        (17, True, 5),
        (0.8, False, 0.2),
        (1234, False, 500),
    ],
)
def test_the_axis_reaches_the_top_value_in_four_round_steps(value, integer, step):
    assert charts.axis_step(value, integer=integer) == pytest.approx(step)


def test_a_column_chart_stacks_its_series_from_the_axis_up():
    chart = charts.column_chart(["10:00", "11:00"], [[2, 1], [4, 0]], series=["ok", "failed"])

    first, second = chart.bars
    assert chart.ticks[-1].value == 4  # the axis tops at 4
    assert [s.value for s in first.segments] == [2, 1]
    assert first.segments[0].y + first.segments[0].height == pytest.approx(chart.plot_bottom)
    assert first.segments[1].y + first.segments[1].height == pytest.approx(first.segments[0].y)
    assert second.segments[0].height == pytest.approx(2 * first.segments[0].height)
    assert second.segments[1].height == 0
    assert not chart.is_empty


def test_bar_rows_are_as_wide_as_their_share_of_their_own_total():
    rows = charts.bar_rows(
        [("A", 5, 10), ("B", 33, 607), ("C", 0, 0)], note="{value} of {total} ({percent}%)"
    )

    # 33 of 607 is a twentieth of the track, not a full bar
    assert [(r.label, r.width, r.note) for r in rows] == [
        ("A", 50.0, "5 of 10 (50%)"),
        ("B", 5.44, "33 of 607 (5%)"),
        ("C", 0, "0 of 0 (0%)"),
    ]


# --- the page -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_dashboard_draws_every_plot_for_an_operator_allowed_to_see_them(superuser_client):
    BatchRequestFactory(completed=True, total=100, processed_in=0.5)
    ProductFactory()
    ProductStockFactory(
        stock_list=StockListFactory(name="Main"), stock=Decimal("0"), product__live=True
    )

    response = superuser_client.get(DASHBOARD)

    assert response.status_code == 200
    html = response.content.decode()
    for section in ("batches-per-hour", "rows-per-second", "approval-queue", "stock-outs"):
        assert f'id="{section}"' in html
    assert html.count('<svg class="po-chart"') == 2
    assert 'class="series-0"' in html  # bars were drawn
    assert "1 of 1 (100%)" in html  # Main's stock-out
    assert response.context["rows_per_second"] == 200.0
    assert response.context["queue"].total == 1


@pytest.mark.django_db
def test_an_operator_sees_only_the_plots_of_what_they_may_read():
    reader = client_for(staff_with_perms("catalog.view_product"))

    html = reader.get(DASHBOARD).content.decode()

    assert 'id="approval-queue"' in html
    assert 'id="batches-per-hour"' not in html
    assert 'id="stock-outs"' not in html


@pytest.mark.django_db
def test_the_dashboard_is_for_staff_only():
    seller_user = OperatorFactory(is_staff=False)

    for visitor in (Client(), client_for(seller_user)):
        response = visitor.get(DASHBOARD)
        assert response.status_code == 302
        assert response.url.startswith("/admin/login/")


@pytest.mark.django_db
def test_the_svg_keeps_its_decimal_points_in_turkish(superuser_client):
    BatchRequestFactory(completed=True, total=7, processed_in=3.0)

    response = superuser_client.get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="tr")

    html = response.content.decode()
    svg = html[html.index('<svg class="po-chart"') : html.index("</svg>")]
    assert "Saat başına toplu istek" in html
    assert "," not in svg.split("<title>")[0]  # coordinates before any label text
