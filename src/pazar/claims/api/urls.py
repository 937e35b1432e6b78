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
]
