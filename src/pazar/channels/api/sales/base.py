"""What every `/api/v1/channel/{channel_id}/…` view shares: its channel, from the URL."""

from django.http import Http404
from django.utils.functional import cached_property

from pazar.accounts.permissions import IsOperator, OperatorModelPermissions
from pazar.accounts.sites import OmnitronView
from pazar.channels import selectors
from pazar.channels.models import Channel


class ChannelModelPermissions(OperatorModelPermissions):
    """The model permission of the view's rows, decided before the channel is looked up, so a
    caller without it learns nothing about which channels exist (403, never 404)."""

    def _queryset(self, view):
        return permission_model(view)._default_manager.none()


def permission_model(view):
    return getattr(view, "permission_model", None) or view.get_serializer_class().Meta.model


class ChannelView(OmnitronView):
    """Resolves `channel_id` (404 for an unknown channel); PATCH, never PUT."""

    permission_classes = [IsOperator, ChannelModelPermissions]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    # The model whose Django permissions guard the view; the serializer's when not set.
    permission_model = None

    def __init_subclass__(cls, **kwargs):
        """Each view's `get_queryset` reads the URL's channel; the OpenAPI generator, which calls
        it without a request, gets an empty queryset of the view's model instead."""
        super().__init_subclass__(**kwargs)
        real = cls.__dict__.get("get_queryset")
        if real is None:
            return

        def get_queryset(self):
            if getattr(self, "swagger_fake_view", False):
                return permission_model(self)._default_manager.none()
            return real(self)

        cls.get_queryset = get_queryset

    @cached_property
    def channel(self) -> Channel:
        channel = selectors.channel_with_catalog(self.kwargs["channel_id"])
        if channel is None:
            raise Http404("No Channel matches the given query.")
        return channel
