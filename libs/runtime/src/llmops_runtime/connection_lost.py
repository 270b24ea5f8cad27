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
