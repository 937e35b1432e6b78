from django.urls import path

from pazar.catalog.api import product_views, views

omnitron_urlpatterns = [
    path(
        "api/i1/attributes/", views.IntegrationAttributeListView.as_view(), name="attribute-list-i1"
    ),
    path("api/v1/attributes/", views.AttributeListView.as_view(), name="attribute-list"),
    path(
        "api/v1/attributes/<int:pk>/", views.AttributeDetailView.as_view(), name="attribute-detail"
    ),
    path(
        "api/v1/attribute_value/",
        views.AttributeValueListView.as_view(),
        name="attribute-value-list",
    ),
    path(
        "api/i1/attribute_value/",
        views.IntegrationAttributeValueListView.as_view(),
        name="attribute-value-list-i1",
    ),
    path(
        "api/v1/attribute_value/<int:pk>/",
        views.AttributeValueDetailView.as_view(),
        name="attribute-value-detail",
    ),
    path(
        "api/i1/attribute_set/",
        views.IntegrationAttributeSetListView.as_view(),
        name="attribute-set-list-i1",
    ),
    path("api/v1/attribute_set/", views.AttributeSetListView.as_view(), name="attribute-set-list"),
    path(
        "api/v1/attribute_set/<int:pk>/",
        views.AttributeSetDetailView.as_view(),
        name="attribute-set-detail",
    ),
    path("api/v1/category_nodes/", views.CategoryNodeListView.as_view(), name="category-node-list"),
    path(
        "api/v1/category_nodes/<int:pk>/",
        views.CategoryNodeDetailView.as_view(),
        name="category-node-detail",
    ),
    path(
        "api/v1/category_attributes/",
        views.CategoryAttributeListView.as_view(),
        name="category-attribute-list",
    ),
    path(
        "api/v1/category_attributes/<int:pk>/",
        views.CategoryAttributeDetailView.as_view(),
        name="category-attribute-detail",
    ),
    path(
        "api/i1/products/",
        product_views.IntegrationProductListView.as_view(),
        name="product-list-i1",
    ),
    path("api/v1/products/", product_views.ProductListView.as_view(), name="product-list"),
    path(
        "api/v1/products/<int:pk>/",
        product_views.ProductDetailView.as_view(),
        name="product-detail",
    ),
    path(
        "api/i1/pre_products/",
        product_views.IntegrationPreProductListView.as_view(),
        name="pre-product-list-i1",
    ),
    path(
        "api/v1/pre_products/", product_views.PreProductListView.as_view(), name="pre-product-list"
    ),
    path(
        "api/v1/pre_products/approve/",
        product_views.PreProductBulkApproveView.as_view(),
        name="pre-product-bulk-approve",
    ),
    path(
        "api/v1/pre_products/reject/",
        product_views.PreProductBulkRejectView.as_view(),
        name="pre-product-bulk-reject",
    ),
    path(
        "api/v1/pre_products/<int:pk>/",
        product_views.PreProductDetailView.as_view(),
        name="pre-product-detail",
    ),
    path(
        "api/v1/pre_products/<int:pk>/approve/",
        product_views.PreProductApproveView.as_view(),
        name="pre-product-approve",
    ),
    path(
        "api/v1/pre_products/<int:pk>/reject/",
        product_views.PreProductRejectView.as_view(),
        name="pre-product-reject",
    ),
]
