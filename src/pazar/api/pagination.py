"""`page` / `limit` pagination with `{"count","next","previous","results"}` and absolute links."""

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.utils.urls import remove_query_param, replace_query_param

from pazar.api.urls import absolute_uri


class CountingPaginator(Paginator):
    """Django's paginator, asking `count_of(queryset)` for the count when given one, and
    `rows_of(queryset, bottom, top)` for a page's rows (`queryset[bottom:top]`)."""

    def __init__(self, object_list, per_page, *, count_of=None, rows_of=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_of = count_of
        self.rows_of = rows_of

    def page(self, number):
        if self.rows_of is None:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self.rows_of(self.object_list, bottom, top), number, self)

    @cached_property
    def count(self) -> int:
        if self.count_of is not None:
            return self.count_of(self.object_list)
        return super().count


class PagePagination(PageNumberPagination):
    page_size = 10
    page_query_param = "page"
    page_size_query_param = "limit"
    # A view that knows a cheaper exact count of its queryset sets this before paginating.
    count_of = None
    # … and a cheaper way to its page's rows.
    rows_of = None

    def django_paginator_class(self, object_list, per_page):
        return CountingPaginator(
            object_list, per_page, count_of=self.count_of, rows_of=self.rows_of
        )

    def filter_params(self, request) -> list[tuple[str, str]]:
        """The query parameters other than the page and its size: what chose the rows."""
        skip = {self.page_query_param, self.page_size_query_param}
        return [
            (name, value)
            for name, values in request.query_params.lists()
            if name not in skip
            for value in values
        ]

    @property
    def max_page_size(self) -> int:
        return settings.PAZAR_PAGE_MAX_LIMIT

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters

    def get_page_number(self, request, paginator):
        """The page asked for; an empty `page=` is not a page (a 404, as `page=x` is)."""
        page_number = request.query_params.get(self.page_query_param)
        if page_number is None:
            return 1
        if page_number in self.last_page_strings:
            return paginator.num_pages
        return page_number

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            raise ValidationError({"limit": ["A valid integer is required."]}) from None
        if size < 1:
            raise ValidationError({"limit": ["Ensure this value is greater than or equal to 1."]})
        # Larger pages are served at the maximum, as DRF does; `next` carries the caller on.
        return min(size, self.max_page_size)

    def get_next_link(self):
        if not self.page.has_next():
            return None
        url = absolute_uri(self.request)
        return replace_query_param(url, self.page_query_param, self.page.next_page_number())

    def get_previous_link(self):
        if not self.page.has_previous():
            return None
        url = absolute_uri(self.request)
        page_number = self.page.previous_page_number()
        if page_number == 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, page_number)
