"""Operators' pages beside the admin's model pages: the dashboard."""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from pazar.backoffice import charts, dashboard, labels


def _admin_context(request, title: str) -> dict:
    return {**admin.site.each_context(request), "title": title}


def dashboard_view(request):
    """Plots of the marketplace's day; each shows to operators who may read what it counts."""
    context = _admin_context(request, _("Dashboard"))
    user = request.user
    if user.has_perm("batches.view_batchrequest"):
        hours = dashboard.batch_hours()
        hour_labels = [hour.start.strftime("%H:00") for hour in hours]
        context["batches_chart"] = charts.column_chart(
            hour_labels,
            [[hour.completed, hour.with_errors, hour.failed, hour.open] for hour in hours],
            series=[
                _("Completed"),
                _("Completed with errors"),
                _("Failed or all rows failed"),
                _("Waiting or processing"),
            ],
            integer=True,
            every=3,
        )
        context["throughput_chart"] = charts.column_chart(
            hour_labels,
            [[hour.rows_per_second] for hour in hours],
            series=[_("Rows per second")],
            every=3,
        )
        context["batch_total"] = sum(h.completed + h.with_errors + h.failed + h.open for h in hours)
        rows, seconds = sum(h.rows for h in hours), sum(h.seconds for h in hours)
        context["rows_per_second"] = round(rows / seconds, 1) if seconds else None
    if user.has_perm("catalog.view_product"):
        queue = dashboard.approval_queue_size()
        ages = {
            "hour": _("Less than an hour"),
            "day": _("1 to 24 hours"),
            "week": _("1 to 7 days"),
            "older": _("More than a week"),
        }
        context["queue"] = queue
        context["queue_by_age"] = charts.bar_rows(
            [(ages[key], count, queue.total) for key, count in queue.by_age.items()],
            note="{value}",
        )
        context["queue_by_seller"] = charts.bar_rows(
            [(name, count, queue.total) for name, count in queue.by_seller], note="{value}"
        )
    if user.has_perm("inventory.view_stocklist"):
        context["stock_outs"] = charts.bar_rows(
            [(item.name, item.out, item.total) for item in dashboard.stock_outs()],
            note=_("{value} of {total} ({percent}%)"),
        )
    if user.has_perm("orders.view_order"):
        today = dashboard.orders_today()
        context["orders_today"] = today
        context["orders_chart"] = charts.column_chart(
            [start.strftime("%H:00") for start, _count in today.by_hour],
            [[count] for _start, count in today.by_hour],
            series=[_("Orders")],
            integer=True,
            every=3,
        )
    if user.has_perm("fulfilment.view_package"):
        waiting = dashboard.packages_waiting()
        context["packages_waiting"] = waiting
        context["packages_waiting_rows"] = charts.bar_rows(
            [
                (labels.package_status(status), count, waiting.total)
                for status, count in waiting.by_status.items()
            ],
            note="{value}",
        )
        context["packages_late_rows"] = charts.bar_rows(
            [
                (labels.package_status(status), count, waiting.total)
                for status, count in waiting.late.items()
            ],
            note="{value}",
        )
    return TemplateResponse(request, "backoffice/dashboard.html", context)
