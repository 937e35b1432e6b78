"""Content negotiation for every API view: the answer is JSON whatever the Accept header says.

Each site renders JSON only. An Accept header that does not name it (`Accept: text/csv`,
`Accept: alt-svc`) is disregarded rather than answered with a 406, which no operation documents:
RFC 9110 §12.5.1 lets a server either refuse such a request or answer as if the header were
absent, and Pazar does the latter, as the app proxy already did.
"""

from __future__ import annotations

from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation


class AcceptAnyNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            # `?format=` naming no renderer is still a 404 (raised above, before this).
            return renderers[0], renderers[0].media_type
