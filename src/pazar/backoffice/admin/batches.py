from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pazar.backoffice import labels
from pazar.backoffice import selectors as backoffice
from pazar.backoffice.views import fragments
from pazar.batches.models import BatchRequest
from pazar.core.admin import ModelAdmin, RangeDateTimeFilter, RelatedDropdownFilter


class BatchStateFilter(admin.SimpleListFilter):
    """What the batch came to, for people: completed with errors and all rows failed apart."""

    title = _("status")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return list(labels.BATCH_STATE.items())

    def queryset(self, request, queryset):
        return backoffice.batches_in_state(queryset, self.value() or "")


@admin.register(BatchRequest)
class BatchRequestAdmin(ModelAdmin):
    """Sellers' batches as they go: progress (polled while open), counts, files and error rows."""

    list_display = [
        "batch",
        "seller_name",
        "operation",
        "progress",
        "rows",
        "rows_per_second",
        "received",
        "files",
    ]
    list_filter = [
        ("seller", RelatedDropdownFilter),
        BatchStateFilter,
        "kind",
        ("created_at", RangeDateTimeFilter),
    ]
    list_filter_submit = True
    list_select_related = ["seller"]
    list_fullwidth = True
    date_hierarchy = "created_at"
    search_fields = ["id"]
    # What people follow; the engine's internals (lease, worker, attempts, storage paths) stay
    # out of the page (they are in /health/ and the logs).
    fields = [
        "id",
        "seller",
        "kind",
        "status",
        "total",
        "succeeded",
        "failed",
        "processed_in",
        "error",
        "created_at",
        "started_at",
        "finished_at",
    ]
    readonly_fields = fields
    list_before_template = "backoffice/batches/admin_counts.html"
    change_form_before_template = "backoffice/batches/admin_detail.html"

    # Batches are the sellers' records: operators read them, never edit; deleting (with the
    # permission) is a bulk action of the list, not a button on a batch's page.
    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_delete_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        progress = path(
            "<uuid:batch_id>/progress/",
            self.admin_site.admin_view(self.progress_view),
            name="batches_batchrequest_progress",
        )
        return [progress, *super().get_urls()]

    def progress_view(self, request, batch_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        batch = get_object_or_404(BatchRequest, pk=batch_id)
        return fragments.batch_progress(
            request, backoffice.batch_progress(batch), poll_url=self._poll_url(batch)
        )

    @staticmethod
    def _poll_url(batch) -> str:
        return reverse("admin:batches_batchrequest_progress", args=[batch.pk])

    @admin.display(description=_("batch"), ordering="created_at")
    def batch(self, batch):
        return str(batch.pk)[:8]

    @admin.display(description=_("seller"), ordering="seller__name")
    def seller_name(self, batch):
        return batch.seller.name

    @admin.display(description=_("rows"), ordering="total")
    def rows(self, batch):
        return batch.total

    @admin.display(description=_("received"), ordering="created_at")
    def received(self, batch):
        return batch.created_at

    @admin.display(description=_("operation"), ordering="kind")
    def operation(self, batch):
        return labels.batch_kind(batch.kind)

    @admin.display(description=_("progress"), ordering="status")
    def progress(self, batch):
        return render_to_string(
            "backoffice/includes/batch_progress.html",
            {"progress": backoffice.batch_progress(batch), "poll_url": self._poll_url(batch)},
        )

    @admin.display(description=_("rows per second"))
    def rows_per_second(self, batch):
        return backoffice.batch_progress(batch).rows_per_second

    @admin.display(description=_("files"))
    def files(self, batch):
        names = {
            "request": pgettext_lazy("batch file", "request"),
            "success": pgettext_lazy("batch file", "success"),
            "error": pgettext_lazy("batch file", "errors"),
        }
        links = backoffice.batch_file_links(batch)
        return format_html_join(
            " · ",
            '<a href="{}" download="batch-{}-{}.json">{}</a>',
            ((url, batch.pk, kind, names[kind]) for kind, url in links.items()),
        )

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            counts = backoffice.batch_state_counts(changelist.queryset)
            chosen = request.GET.get(BatchStateFilter.parameter_name)
            response.context_data["status_counts"] = [
                {
                    "state": state,
                    "label": labels.batch_state_label(state),
                    "count": count,
                    "url": changelist.get_query_string(
                        {BatchStateFilter.parameter_name: state}, ["p"]
                    ),
                    "active": chosen == state,
                }
                for state, count in counts.items()
            ]
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        batch = self.get_object(request, object_id)
        if batch is not None:
            extra_context = {
                **(extra_context or {}),
                "batch": batch,
                "progress": backoffice.batch_progress(batch),
                "poll_url": self._poll_url(batch),
                "links": backoffice.batch_file_links(batch),
                "error_rows": backoffice.batch_error_rows(
                    batch, page=request.GET.get("errors_page", 1)
                ),
            }
        return super().change_view(request, object_id, form_url, extra_context)
