"""What every `/api/v1/channel/{channel_id}/…` view shares: its channel, from the URL."""

from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property

from pazar.api.sites import OmnitronView
from pazar.channels.models import Channel


class ChannelView(OmnitronView):
    """Resolves `channel_id` (404 for an unknown channel); PATCH, never PUT."""

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    @cached_property
    def channel(self) -> Channel:
        return get_object_or_404(
            Channel.objects.select_related("catalog"), pk=self.kwargs["channel_id"]
        )
