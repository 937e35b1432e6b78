from django.urls import path

from pazar.languages.api.views import LanguageListView

seller_center_urlpatterns = [
    path("api/i1/languages/", LanguageListView.as_view(), name="language-list"),
]
