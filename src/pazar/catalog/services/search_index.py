"""The one write every product change ends with: the catalog search index (PRD108)."""


def search_index_refresh(*, product_ids: list[int]) -> None:
    """Bring the catalog search index up to date for these products (see pazar.catalog.search)."""
    from pazar.catalog import search

    search.index_refresh(product_ids=product_ids)
