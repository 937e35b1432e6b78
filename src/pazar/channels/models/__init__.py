from pazar.channels.models.attributes import (
    MarketplaceAttribute,
    MarketplaceAttributeConfig,
    MarketplaceAttributeSchema,
    MarketplaceAttributeSet,
    MarketplaceAttributeSetConfig,
    MarketplaceAttributeValue,
    MarketplaceAttributeValueConfig,
)
from pazar.channels.models.catalogs import Catalog, CatalogItem, CategoryTree, Channel
from pazar.channels.models.integration import (
    ActionStatus,
    AddressErrorReport,
    BatchRequest,
    BatchRequestEvent,
    BatchStatus,
    ErrorReport,
    IntegrationAction,
)

__all__ = [
    "ActionStatus", "AddressErrorReport", "BatchRequest", "BatchRequestEvent", "BatchStatus",
    "Catalog", "CatalogItem", "CategoryTree", "Channel", "ErrorReport", "IntegrationAction",
    "MarketplaceAttribute", "MarketplaceAttributeConfig", "MarketplaceAttributeSchema",
    "MarketplaceAttributeSet", "MarketplaceAttributeSetConfig", "MarketplaceAttributeValue",
    "MarketplaceAttributeValueConfig",
]  # fmt: skip
