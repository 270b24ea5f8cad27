"""Keyset pagination of list and history endpoints: `?limit=&page_token=`, `next_page_token`.

A page token is opaque to clients: base64url of the last row's sort key as JSON, followed by an
HMAC over the key and the query it belongs to (path and filters). A token that was altered, or
that belongs to another query, is refused with a 422 instead of silently reading from an
arbitrary key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import asyncpg
from fastapi import Depends, HTTPException, Query, Request

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
# The key only protects integrity (a token cannot be forged into another key or query);
# replicas of a service share it so a token from one answers on another.
_TOKEN_KEY = os.environ.get("LLMOPS_PAGE_TOKEN_KEY", "llmops-page-token-v1").encode()
_MAC_BYTES = 16

KeyKind = Literal["text", "bigint", "uuid", "timestamptz"]


@dataclass(frozen=True, slots=True)
class KeyColumn:
    """One column of a sort key: the SQL expression, its type and the name it is selected as."""

    sql: str
    kind: KeyKind
    name: str


@dataclass(frozen=True, slots=True)
class Keyset:
    """A unique sort key (ends with a unique column), all ascending or all descending."""

    columns: tuple[KeyColumn, ...]
    descending: bool = False

    @classmethod
    def of(cls, *columns: tuple[str, KeyKind], descending: bool = False) -> Keyset:
        """A key over plain columns, each selected under its own name: `of(("name", "text"))`."""
        return cls(tuple(KeyColumn(name, kind, name) for name, kind in columns), descending)

    def order_by(self) -> str:
        """The ORDER BY clause matching the key."""
        direction = " DESC" if self.descending else ""
        return ", ".join(f"{c.sql}{direction}" for c in self.columns)

    def after(self, first_param: int) -> str:
        """The predicate "row comes after the key in $first_param..": a row comparison."""
        cols = ", ".join(c.sql for c in self.columns)
        params = ", ".join(f"${first_param + i}::{c.kind}" for i, c in enumerate(self.columns))
        op = "<" if self.descending else ">"
        return f"({cols}) {op} ({params})"


@dataclass(frozen=True, slots=True)
class PageRequest:
    """A validated `limit` and the decoded key after which the page starts (None: first page)."""

    limit: int
    after: list[Any] | None
    scope: str


def _scope(request: Request) -> str:
    # The token is bound to the path and every query parameter but the paging ones.
    filters = sorted(
        (k, v) for k, v in request.query_params.multi_items() if k not in ("limit", "page_token")
    )
    return json.dumps([request.url.path, filters])


def _mac(scope: str, body: bytes) -> bytes:
    return hmac.new(_TOKEN_KEY, scope.encode() + b"\0" + body, hashlib.sha256).digest()[:_MAC_BYTES]


def encode_token(scope: str, key: Sequence[Any]) -> str:
    """An opaque token naming the last key of a page of the query scope."""
    body = json.dumps([_jsonable(v) for v in key], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(body + _mac(scope, body)).decode().rstrip("=")


def decode_token(scope: str, token: str) -> list[Any]:
    """The key in a token, or a 422 if it is malformed, altered or from another query."""
    bad = HTTPException(422, "page_token is malformed or does not belong to this query")
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        raise bad from None
    body, mac = raw[:-_MAC_BYTES], raw[-_MAC_BYTES:]
    if len(raw) <= _MAC_BYTES or not hmac.compare_digest(mac, _mac(scope, body)):
        raise bad
    key = json.loads(body)
    if not isinstance(key, list):
        raise bad
    return key


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    return value


def _typed(value: Any, kind: KeyKind) -> Any:
    if kind == "timestamptz":
        return datetime.fromisoformat(value)
    if kind == "uuid":
        return UUID(value)
    return value


def page_request(
    request: Request,
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description=f"rows per page, 1 to {MAX_LIMIT}")
    ] = DEFAULT_LIMIT,
    page_token: Annotated[
        str | None, Query(description="next_page_token of the previous page")
    ] = None,
) -> PageRequest:
    """FastAPI dependency: the page asked for; 422 for a limit out of range or a bad token."""
    scope = _scope(request)
    after = None if page_token is None else decode_token(scope, page_token)
    return PageRequest(limit=limit, after=after, scope=scope)


# The parameter type of a paginated endpoint: `page: Page`.
Page = Annotated[PageRequest, Depends(page_request)]


async def fetch_page(
    db: asyncpg.Pool | asyncpg.Connection,
    page: PageRequest,
    keyset: Keyset,
    *,
    select: str,
    where: str = "TRUE",
    args: Sequence[Any] = (),
    to_json: Callable[[asyncpg.Record], dict[str, Any]],
) -> dict[str, Any]:
    """One page of `select WHERE where` in key order: `{"items": [...], "next_page_token"}`.

    select must select every key column under its name; where may use $1..$len(args).
    """
    params = list(args)
    predicate = where
    if page.after is not None:
        if len(page.after) != len(keyset.columns):
            raise HTTPException(422, "page_token is malformed or does not belong to this query")
        predicate = f"({where}) AND {keyset.after(len(params) + 1)}"
        try:
            params += [_typed(v, c.kind) for v, c in zip(page.after, keyset.columns, strict=True)]
        except (TypeError, ValueError):
            raise HTTPException(
                422, "page_token is malformed or does not belong to this query"
            ) from None
    params.append(page.limit + 1)  # one more row says whether another page exists
    rows = await db.fetch(
        f"{select} WHERE {predicate} ORDER BY {keyset.order_by()} LIMIT ${len(params)}", *params
    )
    more = len(rows) > page.limit
    rows = rows[: page.limit]
    token = None
    if more:
        last = rows[-1]
        token = encode_token(page.scope, [last[c.name] for c in keyset.columns])
    return {"items": [to_json(r) for r in rows], "next_page_token": token}
