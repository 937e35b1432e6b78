from django.urls import path

from pazar.accounts.api import views

omnitron_urlpatterns = [
    path("api/i1/auth/login/", views.IntegrationLoginView.as_view(), name="auth-login-i1"),
    path("api/v1/auth/login/", views.LoginView.as_view(), name="auth-login"),
    path("api/v1/active_user/", views.ActiveUserView.as_view(), name="active-user"),
    path("api/v1/sellers/", views.SellerListView.as_view(), name="seller-list"),
    path("api/v1/sellers/<uuid:pk>/", views.SellerDetailView.as_view(), name="seller-detail"),
    path("api/v1/users/", views.UserListView.as_view(), name="user-list"),
    path("api/v1/users/<int:pk>/", views.UserDetailView.as_view(), name="user-detail"),
    path("api/v1/groups/", views.GroupListView.as_view(), name="group-list"),
    path("api/v1/groups/<int:pk>/", views.GroupDetailView.as_view(), name="group-detail"),
    path("api/v1/permissions/", views.PermissionListView.as_view(), name="permission-list"),
]

whippy_ware_urlpatterns = [
    path("api/v1/auth/login/", views.LoginView.as_view(), name="auth-login"),
    path("api/v1/expire-token/", views.ExpireTokenView.as_view(), name="expire-token"),
]

seller_center_urlpatterns = [
    path("api/i1/token/obtain/", views.TokenObtainView.as_view(), name="token-obtain"),
    path("api/i2/access-tokens/", views.AccessTokenListView.as_view(), name="access-token-list"),
    path(
        "api/i2/access-tokens/<uuid:pk>/",
        views.AccessTokenDetailView.as_view(),
        name="access-token-detail",
    ),
]
