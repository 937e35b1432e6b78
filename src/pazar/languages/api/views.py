from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics

from pazar.accounts.sites import SellerCenterView
from pazar.api.filters import CODE_LOOKUPS, FilterSet
from pazar.languages.api.serializers import LanguageSerializer
from pazar.languages.models import Language
from pazar.languages.selectors import language_list


class LanguageFilter(FilterSet):
    class Meta:
        model = Language
        fields = {"code": CODE_LOOKUPS, "is_default": ["exact"]}


@extend_schema_view(get=extend_schema(operation_id="LNG001_languages_list"))
class LanguageListView(SellerCenterView, generics.ListAPIView):
    """LNG001: the languages the marketplace offers (codes usable in Accept-Language)."""

    throttle_family = "languages"
    serializer_class = LanguageSerializer
    filterset_class = LanguageFilter

    def get_queryset(self):
        return language_list()
