"""Full-text search over the master catalog (PRD108). Placeholder until the index lands."""


def index_refresh(*, product_ids: list[int]) -> None:
    return None
