from enum import StrEnum


class ErrorCode(StrEnum):
    CATEGORY_TREE_IN_USE = "category_tree_in_use"
    CATALOG_IN_USE = "catalog_in_use"
