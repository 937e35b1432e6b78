"""Views under a sales channel's API, `/api/v1/channel/{cid}/…` (omnitron.md §11).

The channel's app calls them with an operator's token; `{cid}` must name a channel (else 404),
and `self.channel` is that channel.
"""

from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property

from pazar.channels.models import Channel


class ChannelScopedMixin:
    """Resolves `{cid}` before the view runs; an unknown channel is a 404."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.channel  # noqa: B018 - a missing channel answers 404 before anything else

    @property
    def channel_id(self) -> int:
        """The URL's channel id, for querysets (read before permissions, so never a 404)."""
        return self.kwargs.get("cid", 0)  # none while the schema is generated

    @property
    def channel_key(self) -> Channel:
        """The URL's channel as a key for querysets (its pk, no query): the permission check
        reads the queryset before `initial` answers 404 for an unknown channel."""
        return Channel(pk=self.channel_id)

    @cached_property
    def channel(self) -> Channel:
        return get_object_or_404(Channel, pk=self.kwargs["cid"])
