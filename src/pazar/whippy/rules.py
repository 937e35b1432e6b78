"""Stock list rules: checking a rule's JSON and turning a `location_sum` rule into numbers.

A `location_sum` rule (docs/whippy-ware.md has worked examples):

    {"blocks": [{"providers": ["central_wh"], "locations": ["110", "112"],
                 "safety_stock_per_location": 2},
                {"providers": "*", "locations": "*"}],
     "global_safety_stock": 0, "subtract_reservations": true, "min": 0}

A stock row belongs to the first block whose providers and locations both match it; rows no
block matches are left out, so overlapping blocks count a row once. Each row gives
`max(0, stock − reserved (if subtracted) − the block's safety stock per location)`; the SKU's
figure is the sum minus `global_safety_stock`, floored at 0, and 0 when below `min`.
Reservations are subtracted for providers with `should_add_reservations`, unless the rule says
`"subtract_reservations": false`.

An `sql` rule is stored as given and computes nothing (see the docs).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pazar.whippy.models import RuleType

ANY = "*"
MAX_FIGURE = 2147483647  # what a stock column holds; a sum of many locations may exceed it
RULE_KEYS = {"blocks", "global_safety_stock", "subtract_reservations", "min"}
BLOCK_KEYS = {"providers", "locations", "safety_stock_per_location", "safety_stock"}


@dataclass(frozen=True)
class Block:
    providers: frozenset[str] | None  # None: every provider
    locations: frozenset[str] | None  # None: every location of the block's providers
    safety_stock: int = 0

    def matches(self, provider_code: str, location_code: str) -> bool:
        return (self.providers is None or provider_code in self.providers) and (
            self.locations is None or location_code in self.locations
        )


@dataclass(frozen=True)
class LocationSum:
    blocks: tuple[Block, ...]
    global_safety_stock: int = 0
    subtract_reservations: bool = True
    min: int = 0

    def finish(self, total: int) -> int:
        """The SKU's figure from the sum of its rows' contributions (at most MAX_FIGURE)."""
        figure = min(max(0, total - self.global_safety_stock), MAX_FIGURE)
        return 0 if figure < self.min else figure


@dataclass(frozen=True)
class LocationTerms:
    """How one location's rows count: what is held back, and whether reservations are."""

    safety_stock: int
    subtract_reservations: bool


@dataclass(frozen=True)
class ActiveLocation:
    id: int
    code: str
    provider_code: str
    should_add_reservations: bool


def rule_errors(rule_type: str, rule) -> list[str]:
    """What is wrong with a rule's shape, each message naming its place (`blocks.0.providers`)."""
    if not isinstance(rule, dict):
        return ["The rule must be a JSON object."]
    if rule_type == RuleType.SQL:
        return []
    if rule_type != RuleType.LOCATION_SUM:
        return []  # the rule type's own error is reported on `rule_type`
    return _location_sum_errors(rule)


def _non_negative_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _codes_errors(place: str, value) -> list[str]:
    if value == ANY:
        return []
    if not isinstance(value, list) or not value:
        return [f'{place}: expected "*" or a non-empty list of codes.']
    if not all(isinstance(code, str) and code for code in value):
        return [f"{place}: every code must be a non-empty string."]
    return []


def _location_sum_errors(rule: dict) -> list[str]:
    errors = [f"{key}: unknown key." for key in sorted(set(rule) - RULE_KEYS)]
    for key in ("global_safety_stock", "min"):
        if key in rule and not _non_negative_int(rule[key]):
            errors.append(f"{key}: expected a whole number, 0 or more.")
    if "subtract_reservations" in rule and not isinstance(rule["subtract_reservations"], bool):
        errors.append("subtract_reservations: expected true or false.")
    blocks = rule.get("blocks")
    if not isinstance(blocks, list) or not blocks:
        return [*errors, "blocks: expected a non-empty list of blocks."]
    for index, block in enumerate(blocks):
        place = f"blocks.{index}"
        if not isinstance(block, dict):
            errors.append(f"{place}: expected an object.")
            continue
        errors += [f"{place}.{key}: unknown key." for key in sorted(set(block) - BLOCK_KEYS)]
        for key in ("providers", "locations"):
            if key not in block:
                errors.append(f"{place}.{key}: this key is required.")
            else:
                errors += _codes_errors(f"{place}.{key}", block[key])
        for key in ("safety_stock_per_location", "safety_stock"):
            if key in block and not _non_negative_int(block[key]):
                errors.append(f"{place}.{key}: expected a whole number, 0 or more.")
        if "safety_stock_per_location" in block and "safety_stock" in block:
            errors.append(
                f"{place}: give safety_stock_per_location or its short name safety_stock, not both."
            )
    return errors


def _codes(value) -> frozenset[str] | None:
    return None if value == ANY else frozenset(value)


def parse_location_sum(rule: dict) -> LocationSum:
    """The rule as numbers; `rule` has passed `rule_errors`."""
    return LocationSum(
        blocks=tuple(
            Block(
                providers=_codes(block["providers"]),
                locations=_codes(block["locations"]),
                safety_stock=block.get("safety_stock_per_location", block.get("safety_stock", 0)),
            )
            for block in rule["blocks"]
        ),
        global_safety_stock=rule.get("global_safety_stock", 0),
        subtract_reservations=rule.get("subtract_reservations", True),
        min=rule.get("min", 0),
    )


def location_terms(
    rule: LocationSum, locations: Iterable[ActiveLocation]
) -> dict[int, LocationTerms]:
    """Location id → its terms, for the locations some block matches (the first one wins)."""
    terms = {}
    for location in locations:
        block = next(
            (b for b in rule.blocks if b.matches(location.provider_code, location.code)), None
        )
        if block is not None:
            terms[location.id] = LocationTerms(
                safety_stock=block.safety_stock,
                subtract_reservations=rule.subtract_reservations
                and location.should_add_reservations,
            )
    return terms


def contribution(stock: int, reserved_stock: int, terms: LocationTerms) -> int:
    """What one stock row adds to its SKU's figure."""
    held = reserved_stock if terms.subtract_reservations else 0
    return max(0, stock - held - terms.safety_stock)
