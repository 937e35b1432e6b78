import hashlib
import secrets


def new_key() -> str:
    """40 hex characters, the shape Akinon clients know from DRF tokens."""
    return secrets.token_hex(20)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
