"""Operators' pages beside the admin's model pages: the dashboard."""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from pazar.backoffice import charts, dashboard


def _admin_context(request, title: str) -> dict:
    return {**admin.site.each_context(request), "title": title}


def dashboard_view(request):
    """Plots of the marketplace's day; each shows to operators who may read what it counts."""
    context = _admin_context(request, _("Dashboard"))
    user = request.user
    if user.has_perm("batches.view_batchrequest"):
        hours = dashboard.batch_hours()
        labels = [hour.start.strftime("%H:00") for hour in hours]
        context["batches_chart"] = charts.column_chart(
            labels,
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
            labels,
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
    return TemplateResponse(request, "backoffice/dashboard.html", context)
