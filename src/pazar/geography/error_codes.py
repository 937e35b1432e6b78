from enum import StrEnum


class ErrorCode(StrEnum):
    PLACE_IN_USE = "place_in_use"
    PLACE_MISMATCH = "place_mismatch"
    MAPPING_TAKEN = "mapping_taken"
