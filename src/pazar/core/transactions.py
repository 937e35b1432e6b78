"""`atomic` for services that other services call in their own transaction, and a way for a
service that runs many of them to spare their savepoints.

A service's `transaction.atomic` nested in another's costs two statements (`SAVEPOINT`,
`RELEASE SAVEPOINT`), one database round trip each, so that a caller may catch the nested
service's error and go on with its transaction. A service that never does (every error it
meets leaves it, and its own atomic block rolls back the whole) runs its nested services inside
`savepoints_spared()`: those decorated with `atomic` below then join its transaction without a
savepoint. An error inside still undoes everything: it reaches the sparing service's atomic
block, which rolls back to its own savepoint (or the transaction). Outside the block, `atomic`
is Django's `transaction.atomic`, so a caller that does catch a service's error (a test, a
batch that reports each row's error) keeps its savepoint.

Such a block also remembers the transaction-level locks taken in it (`locks_to_take`): a lock
held until the transaction ends need not be asked for again by a later service of the block.
PostgreSQL lets go of a lock taken in a savepoint that is rolled back, so a lock taken inside
a savepoint counts as taken only while that savepoint is open; after it, the lock is asked for
again (one statement more, never a write without its lock).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction

_spared: ContextVar[bool] = ContextVar("pazar_savepoints_spared", default=False)
# The locks taken in the block, each with the savepoints open when it was taken.
_locks_taken: ContextVar[dict | None] = ContextVar("pazar_locks_taken", default=None)


def atomic(func: Callable) -> Callable:
    """`transaction.atomic` as a service's decorator; without a savepoint inside
    `savepoints_spared()`."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with transaction.atomic(savepoint=not _spared.get()):
            return func(*args, **kwargs)

    return wrapper


@contextmanager
def savepoints_spared() -> Iterator[None]:
    """Services decorated with `atomic` nest without savepoints in this block. Use it only in an
    atomic block that catches no error of what it runs (see the module's docstring)."""
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("savepoints_spared() needs an atomic block.")
    token = _spared.set(True)
    outer = _locks_taken.get()
    locks = _locks_taken.set({} if outer is None else outer)
    try:
        yield
    finally:
        _locks_taken.reset(locks)
        _spared.reset(token)


def locks_to_take(keys) -> list:
    """Of these keys of transaction-level locks, sorted, those not taken yet in this
    `savepoints_spared()` block (all of them outside one); the caller takes them now, and the
    block counts them as taken until it ends. A lock taken inside a savepoint counts only while
    that savepoint is open: PostgreSQL releases it when the savepoint is rolled back, so once
    the savepoint is gone (rolled back or released) the lock is asked for again."""
    keys = sorted(set(keys))
    taken = _locks_taken.get()
    if taken is None:
        return keys
    # Django lists an atomic block without a savepoint as None: only real savepoints count.
    open_now = tuple(sid for sid in transaction.get_connection().savepoint_ids if sid)
    new = [key for key in keys if not _still_held(taken.get(key), open_now)]
    for key in new:
        taken[key] = open_now
    return new


def _still_held(taken_in: tuple | None, open_now: tuple) -> bool:
    """A lock taken with these savepoints open is held while they all still are."""
    return taken_in is not None and open_now[: len(taken_in)] == taken_in


def atomic_sparing_savepoints(func: Callable) -> Callable:
    """`transaction.atomic` (with its own savepoint when nested) around a service that catches
    no error of the services it runs, which join its transaction without savepoints."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with transaction.atomic(), savepoints_spared():
            return func(*args, **kwargs)

    return wrapper
