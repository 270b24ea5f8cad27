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

DATABASE_TRANSIENT: tuple[type[Exception], ...] = (*DATABASE_LOST, *DATABASE_BUSY)
