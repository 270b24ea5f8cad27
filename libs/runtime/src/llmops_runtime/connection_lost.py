"""PostgreSQL errors meaning the connection is gone: retry on a fresh one, never park."""

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
)

# SQLSTATE classes and codes that a later attempt can pass: connection exceptions (08),
# transaction rollbacks (40: serialization failure, deadlock), insufficient resources (53: disk
# full, out of memory, too many connections), lock_not_available (55P03), query_canceled
# (57014: statement and lock timeouts) and operator intervention (57P0x).
_TRANSIENT_CLASSES = ("08", "40", "53")
_TRANSIENT_CODES = frozenset({"55P03", "57014", "57P01", "57P02", "57P03", "57P04", "57P05"})


def transient(exc: BaseException) -> bool:
    """True for a database error that waiting cures; False for one of the work itself."""
    if isinstance(exc, (*DATABASE_LOST, OSError, TimeoutError)):
        return True
    state = getattr(exc, "sqlstate", None)
    if not isinstance(exc, asyncpg.PostgresError) or not isinstance(state, str):
        return False
    return state[:2] in _TRANSIENT_CLASSES or state in _TRANSIENT_CODES
