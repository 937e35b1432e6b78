"""Reads of applications."""

from django.http import Http404

from pazar.applications.models import Application


def proxy_application(*, application_id: int) -> Application:
    """The application the app proxy may forward to, or 404.

    Unknown, inactive, proxy-disabled and address-less applications all read as "not found".
    """
    application = Application.objects.filter(
        pk=application_id, is_active=True, is_proxy_available=True
    ).first()
    if application is None or not application.web_url:
        raise Http404
    return application
