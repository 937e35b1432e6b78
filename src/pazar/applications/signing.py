"""The signature that tells an application which operator a proxied request comes from.

    X-Pazar-Signature: sha256=<hex HMAC-SHA256(proxy_secret, message)>
    message = METHOD "\\n" TARGET "\\n" TIMESTAMP "\\n" USER_ID

TARGET is the request target the application receives (its path and, when there is one, `?` and
the query string, exactly as sent); TIMESTAMP is `X-Pazar-Timestamp` (Unix seconds) and USER_ID
is `X-Pazar-User-Id`. `verify` is what an application written in Python would run.
"""

import hashlib
import hmac
import time

PREFIX = "sha256="
DEFAULT_MAX_AGE_SECONDS = 300


def message(*, method: str, target: str, timestamp: str, user_id: str) -> bytes:
    return "\n".join([method.upper(), target, str(timestamp), str(user_id)]).encode()


def sign(*, secret: str, method: str, target: str, timestamp: str, user_id: str) -> str:
    digest = hmac.new(
        secret.encode(),
        message(method=method, target=target, timestamp=timestamp, user_id=user_id),
        hashlib.sha256,
    ).hexdigest()
    return PREFIX + digest


def verify(
    *,
    secret: str,
    signature: str,
    method: str,
    target: str,
    timestamp: str,
    user_id: str,
    max_age: int = DEFAULT_MAX_AGE_SECONDS,
    now: float | None = None,
) -> bool:
    """Whether `signature` is ours for this request and its timestamp is at most `max_age` old."""
    try:
        age = (time.time() if now is None else now) - int(timestamp)
    except ValueError:
        return False
    if abs(age) > max_age:
        return False
    expected = sign(
        secret=secret, method=method, target=target, timestamp=timestamp, user_id=user_id
    )
    return hmac.compare_digest(expected, signature)
