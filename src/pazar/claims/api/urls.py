from django.urls import path

from pazar.claims.api import views

omnitron_urlpatterns = [
    path(
        "api/v1/cancellation_reasons/",
        views.CancellationReasonListView.as_view(),
        name="cancellation-reason-list",
    ),
    path(
        "api/v1/cancellation_reasons/<int:pk>/",
        views.CancellationReasonDetailView.as_view(),
        name="cancellation-reason-detail",
    ),
    path("api/i1/orders/<int:pk>/cancel/", views.OrderCancelView.as_view(), name="order-cancel"),
    path(
        "api/v1/cancellation_requests/",
        views.CancellationRequestListView.as_view(),
        name="cancellation-request-list",
    ),
    path(
        "api/v1/cancellation_requests/<int:pk>/",
        views.CancellationRequestDetailView.as_view(),
        name="cancellation-request-detail",
    ),
    *[
        path(
            f"api/v1/cancellation_requests/<int:pk>/{action}/",
            views.request_action_view(action),
            name=f"cancellation-request-{action}",
        )
        for action in ("approve", "reject", "receive", "complete")
    ],
]
channel_urlpatterns = [
    path(
        "cancellation_reasons/",
        views.ChannelCancellationReasonListView.as_view(),
        name="channel-cancellation-reason-list",
    ),
    path(
        "cancellation_reasons/<int:pk>/",
        views.ChannelCancellationReasonDetailView.as_view(),
        name="channel-cancellation-reason-detail",
    ),
    path(
        "orders/<int:pk>/cancel/",
        views.ChannelOrderCancelView.as_view(),
        name="channel-order-cancel",
    ),
    path(
        "cancellation_requests/",
        views.ChannelCancellationRequestListView.as_view(),
        name="channel-cancellation-request-list",
    ),
    path(
        "cancellation_requests/updates/",
        views.ChannelCancellationRequestUpdatesView.as_view(),
        name="channel-cancellation-request-updates",
    ),
    path(
        "cancellation_requests/<int:pk>/",
        views.ChannelCancellationRequestDetailView.as_view(),
        name="channel-cancellation-request-detail",
    ),
]
