"""Login limits of every password form: the Omnitron and Whippy Ware logins, the Seller Center's
token obtain and panel sign-in, and the admin's login page.

Per account (the username, or a seller's email, case-insensitive; `login` in
PAZAR_RATE_LIMITS, default `5/min`):
  * wrong passwords are counted, and forgotten PAZAR_LOGIN_FAILURES_KEPT_SECONDS (24 h) after
    the last one, or at once by a right password;
  * the 5th failure locks the account for 1 minute, and each further one for twice as long as
    the one before (2, 4, 8, …), at most PAZAR_LOGIN_LOCK_MAX_SECONDS (1 hour): about 35
    guesses a day instead of 14 400;
  * while locked, an attempt is refused (429 with Retry-After) without the password being
    checked or the attempt counted;
  * the account's user is told by email (Django's mail backend) when a run of failures first
    locks it: one notice per run, however long it goes on.

Per client address (`login-address`, default `100/hour`): wrong passwords for any account are
counted, and forgotten an hour after the last one. Past the budget, the address is refused,
except for accounts that have logged in from it in the last PAZAR_LOGIN_KNOWN_ADDRESS_SECONDS
(30 days). Only wrong passwords count, and the account lock stops a run against one account
after a handful of them, so someone hammering `admin` from an office's address cannot use up
that address's budget, and even a spray over many accounts that does leaves the colleagues
who signed in from there before able to sign in.

Every check and count is one atomic operation in Redis or the database (pazar.api.ratelimit):
a parallel burst against an account gets its free attempts and, once locked, exactly one
attempt each time the lock ends.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.db.models import Q
from rest_framework.exceptions import Throttled

from pazar.api import ratelimit
from pazar.api.throttling import family_rate

logger = logging.getLogger(__name__)
T = TypeVar("T")
PREFIX = "pazar:rl:login"


def account_name(name: str) -> str:
    return str(name or "").strip().lower()[:150]


def lock_seconds(*, failures: int, first: int, free: int) -> int:
    """How long the `failures`-th failure locks an account (0 within the free ones)."""
    if failures < free:
        return 0
    cap = max(first, settings.PAZAR_LOGIN_LOCK_MAX_SECONDS)
    return min(cap, first * 2 ** min(failures - free, 32))


def _keys(name: str, address: str) -> dict[str, str]:
    return {
        "failures": f"{PREFIX}:account:{name}",
        "lock": f"{PREFIX}:lock:{name}",
        "address": f"{PREFIX}:address:{address}",
        "known": f"{PREFIX}:known:{name}:{address}",
    }


def _refuse(seconds: float) -> Throttled:
    """The 429 every throttle answers: `{"detail": "Request was throttled. …", "code":
    "throttled"}` with Retry-After."""
    return Throttled(wait=max(1, math.ceil(seconds)))


def guarded_login(
    *, name: str, address: str, by: str, attempt: Callable[[], T], failed=ValidationError
) -> T:
    """Run `attempt` (which checks the password, raising `failed` when it is wrong) within the
    limits of the account `name` (a username, or an email when `by="email"`) and the client
    `address`. A refused attempt raises DRF's `Throttled`; `attempt` is then not run.

    Call it outside any transaction: the counts must stay when the attempt's own rolls back.
    """
    name = account_name(name)
    account, per_address = family_rate("login"), family_rate("login-address")
    if account is None and per_address is None:
        return attempt()
    keys = _keys(name, address)
    store = ratelimit.failures
    if account is not None and name and (left := store.seconds_left(keys["lock"])):
        raise _refuse(left)
    counted = []
    if per_address is not None:
        in_budget = store.add(keys["address"], per_address.period) <= per_address.limit
        counted.append(keys["address"])
        if not in_budget and not (name and store.seconds_left(keys["known"])):
            _take_back(counted)
            raise _refuse(store.seconds_left(keys["address"]))
    failures, locked = 0, False
    if account is not None and name:
        failures = store.add(keys["failures"], settings.PAZAR_LOGIN_FAILURES_KEPT_SECONDS)
        counted.append(keys["failures"])
        seconds = lock_seconds(failures=failures, first=account.period, free=account.limit)
        # Past the free attempts, one caller at a time takes the lock and is the one attempt
        # let through until it ends; a wrong password leaves it in place.
        if seconds and not store.lock(keys["lock"], seconds, only_if_free=True):
            _take_back(counted)
            raise _refuse(store.seconds_left(keys["lock"]) or 1)
        locked = bool(seconds)
    try:
        result = attempt()
    except failed:
        if locked and failures == account.limit:
            _send_lockout_notice(name=name, by=by, address=address, seconds=seconds)
        raise
    _take_back([key for key in counted if key == keys["address"]])
    if name:
        store.delete(keys["failures"], keys["lock"])
        store.lock(keys["known"], settings.PAZAR_LOGIN_KNOWN_ADDRESS_SECONDS, only_if_free=False)
    return result


def _take_back(keys: list[str]) -> None:
    for key in keys:
        ratelimit.failures.take_back(key)


LOCKOUT_SUBJECT = "Sign-ins to your Pazar account are paused"
LOCKOUT_BODY = """\
Hello {username},

{failures} wrong passwords in a row were given for your Pazar account ({account}), most
recently from the address {address}. Signing in is paused for {minutes} minute(s), and each
further wrong password pauses it for twice as long (at most {max_minutes} minutes). A right
password after the pause signs you in as usual.

If these attempts were not yours, someone may be guessing your password: choose a new, long
one, or ask an operator to.
"""


def _send_lockout_notice(*, name: str, by: str, address: str, seconds: int) -> None:
    """Email the account's user(s); a mail server that fails is logged, never the login's
    problem (the attempt is answered as it would be)."""
    User = get_user_model()
    match = Q(email__iexact=name) if by == "email" else Q(username__iexact=name)
    users = User.objects.filter(match, is_active=True).exclude(email="")
    for user in users:
        body = LOCKOUT_BODY.format(
            username=user.get_username(),
            failures=family_rate("login").limit,
            account=name,
            address=address or "unknown",
            minutes=max(1, seconds // 60),
            max_minutes=max(1, settings.PAZAR_LOGIN_LOCK_MAX_SECONDS // 60),
        )
        try:
            mail.send_mail(LOCKOUT_SUBJECT, body, None, [user.email])
        except Exception as exc:  # smtplib's, socket's: the mail server is down or refuses
            logger.warning(
                "lockout notice to user %s not sent: %s: %s", user.pk, type(exc).__name__, exc
            )
