"""The back office speaks its visitor's language; the APIs always answer in English."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

# Pages people read: the admin, the Seller Center's panel, and the language switch itself.
BACK_OFFICE_PREFIXES = ("/admin/", "/seller-center/panel/", "/i18n/")


def is_back_office(request) -> bool:
    return request.path_info.startswith(BACK_OFFICE_PREFIXES)


class BackOfficeLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware (language cookie, then Accept-Language) on back-office pages.

    On the API sites `Accept-Language: tr-tr` picks the translations of catalog data
    (`pazar.languages.negotiation`); it must not turn their error messages, which clients match on,
    into Turkish. The thread's language is reset there, since a worker thread keeps whatever
    language its previous request activated.
    """

    def process_request(self, request):
        if is_back_office(request):
            super().process_request(request)
        else:
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        if is_back_office(request):
            return super().process_response(request, response)
        return response
