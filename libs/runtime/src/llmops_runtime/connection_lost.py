"""PostgreSQL errors that are not the input's fault: retry later, never park."""

from __future__ import annotations

import asyncpg

# InterfaceError covers a closed connection; PostgresConnectionError covers
# ConnectionDoesNotExistError; AdminShutdownError is what pg_terminate_backend sends.
DATABASE_LOST: tuple[type[Exception], ...] = (
    asyncpg.InterfaceError,
    asyncpg.PostgresConnectionError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.CannotConnectNowError,
    # What a connection terminated in the middle of an operation can leave: its protocol
    # state is broken, so the connection is dropped and a fresh one taken.
    asyncpg.InternalClientError,
)

# The database refusing for now, not the event being bad: lock_timeout (55P03), statement_timeout
# (57014), deadlock (40P01), serialization failure (40001), and out of disk, memory or
# connections (53xxx). Retried with backoff like a lost connection; never parked.
DATABASE_BUSY: tuple[type[Exception], ...] = (
    asyncpg.LockNotAvailableError,
    asyncpg.QueryCanceledError,
    asyncpg.TransactionRollbackError,
    asyncpg.InsufficientResourcesError,
)

# A refused connection (OSError) and a client-side command timeout (TimeoutError) wait too.
DATABASE_TRANSIENT: tuple[type[Exception], ...] = (
    *DATABASE_LOST,
    *DATABASE_BUSY,
    OSError,
    TimeoutError,
)

# Codes outside those classes that a later attempt can pass too: connection exceptions (08)
# and operator intervention (57P0x: shutdowns, a database being dropped or restarted).
_TRANSIENT_CLASSES = ("08",)
_TRANSIENT_CODES = frozenset({"57P01", "57P02", "57P03", "57P04", "57P05"})


def transient(exc: BaseException) -> bool:
    """True for a database error that waiting cures; False for one of the work itself."""
    if isinstance(exc, DATABASE_TRANSIENT):
        return True
    state = getattr(exc, "sqlstate", None)
    if not isinstance(exc, asyncpg.PostgresError) or not isinstance(state, str):
        return False
    return state[:2] in _TRANSIENT_CLASSES or state in _TRANSIENT_CODES
