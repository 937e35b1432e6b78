"""Error pages of the back office (the APIs answer errors in JSON, see pazar.api.exceptions and pazar.sites.errors)."""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

TITLES = {
    400: (_("Bad request"), _("The request could not be understood.")),
    403: (_("Not allowed"), _("You do not have permission to see this page or do this.")),
    404: (_("Not found"), _("There is nothing here, or it is not yours to see.")),
    500: (_("Server error"), _("Something went wrong on our side. Try again in a moment.")),
}


def page_error(request, status: int) -> HttpResponse:
    title, message = TITLES[status]
    home = "/admin/" if request.path_info.startswith("/admin/") else "/seller-center/panel/"
    # Rendered without the request's context processors: an error page must render even when
    # what failed was the database or a template those need.
    body = render_to_string(
        "backoffice/error.html",
        {"status": status, "title": title, "message": message, "home": home},
    )
    return HttpResponse(body, status=status)
