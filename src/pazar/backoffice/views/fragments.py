"""Pieces of pages that the browser polls and swaps in (htmx), shared by operators and sellers."""

from django.template.response import TemplateResponse


def batch_progress(request, progress, *, poll_url: str) -> TemplateResponse:
    """A batch's progress bar. Once the batch has ended the page reloads in full, to show the
    counts, files and error rows it now has (htmx's `HX-Refresh`)."""
    response = TemplateResponse(
        request,
        "backoffice/includes/batch_progress.html",
        {"progress": progress, "poll_url": poll_url},
    )
    if not progress.is_open:
        response["HX-Refresh"] = "true"
    return response
