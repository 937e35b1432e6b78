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
PostgreSQL lets go of a lock taken in a savepoint that is rolled back, so no such lock may be
taken inside a savepoint whose error the block catches (intake's savepoints around its order
and package numbers take none).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction

_spared: ContextVar[bool] = ContextVar("pazar_savepoints_spared", default=False)
_locks_taken: ContextVar[set | None] = ContextVar("pazar_locks_taken", default=None)


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
    locks = _locks_taken.set(set() if outer is None else outer)
    try:
        yield
    finally:
        _locks_taken.reset(locks)
        _spared.reset(token)


def locks_to_take(keys) -> list:
    """Of these keys of transaction-level locks, sorted, those not taken yet in this
    `savepoints_spared()` block (all of them outside one); the caller takes them now, and the
    block counts them as taken until it ends."""
    keys = sorted(set(keys))
    taken = _locks_taken.get()
    if taken is None:
        return keys
    new = [key for key in keys if key not in taken]
    taken.update(new)
    return new


def atomic_sparing_savepoints(func: Callable) -> Callable:
    """`transaction.atomic` (with its own savepoint when nested) around a service that catches
    no error of the services it runs, which join its transaction without savepoints."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with transaction.atomic(), savepoints_spared():
            return func(*args, **kwargs)

    return wrapper
