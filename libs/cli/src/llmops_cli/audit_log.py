"""`llmops audit log`: the audit log of every service, from governance, as JSON lines."""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import typer

from llmops_cli.token import TokenRefused, local_token
from llmops_runtime.http.pagination import MAX_LIMIT
from llmops_runtime.service.installed import installed_definitions

RESULTS = ("accepted", "rejected", "unauthorized", "recorded")
_AGO = re.compile(r"^(\d{1,9})([smhdw])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
GOVERNANCE_PORT = 8108  # used when the governance service is not installed here


class BadInput(ValueError):
    """An option the command cannot use; its message is the one line shown."""


def parse_time(option: str, text: str, now: datetime) -> datetime:
    """`1h`, `30m`, `2d`... before now, or an ISO 8601 time (UTC when it has no offset)."""
    ago = _AGO.match(text.strip())
    if ago:
        return now - timedelta(**{_UNITS[ago.group(2)]: int(ago.group(1))})
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise BadInput(
            f"{option} {text!r} is neither a duration like 1h, 30m, 2d nor an ISO 8601 time"
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def parse_resource(text: str) -> dict[str, str]:
    """`type:id`, `type`, or a bare UUID id."""
    kind, sep, ident = text.partition(":")
    if sep:
        if not kind or not ident:
            raise BadInput(f"--resource {text!r}: give type:id, a type, or an id")
        return {"resource_type": kind, "resource_id": ident}
    try:
        return {"resource_id": str(uuid.UUID(text))}
    except ValueError:
        return {"resource_type": text}


def query(
    actor: str | None, resource: str | None, result: str | None,
    since: str | None, until: str | None, now: datetime,
) -> dict[str, str]:  # fmt: skip
    """The /audit-log filters of the options; BadInput for any the service would refuse."""
    params: dict[str, str] = {}
    if actor is not None:
        params["actor_id"] = actor
    if resource is not None:
        params.update(parse_resource(resource))
    if result is not None:
        if result not in RESULTS:
            raise BadInput(f"--result {result!r}: one of {', '.join(RESULTS)}")
        params["result"] = result
    start = None if since is None else parse_time("--since", since, now)
    end = None if until is None else parse_time("--until", until, now)
    if start is not None and end is not None and end < start:
        raise BadInput("--until is before --since")
    if start is not None:
        params["since"] = start.isoformat()
    if end is not None:
        params["until"] = end.isoformat()
    for name, value in params.items():
        if len(value) > 200:
            raise BadInput(f"{name} is longer than 200 characters")
    return params


def governance_url() -> str:
    """`LLMOPS_GOVERNANCE_URL`, else the governance service's port on this host."""
    configured = os.environ.get("LLMOPS_GOVERNANCE_URL")
    if configured:
        return configured.rstrip("/")
    definition = installed_definitions().get("governance")
    port = definition.http_port if definition is not None else GOVERNANCE_PORT
    return f"http://127.0.0.1:{port}"


def _get(url: str, token: str) -> dict[str, Any]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            body: dict[str, Any] = json.loads(response.read())
            return body
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode(errors="replace")[:500]
        raise BadInput(f"the governance service refused the query ({exc.code}): {detail}") from None


def log(
    actor: Annotated[str | None, typer.Option(help="Only this actor's entries.")] = None,
    resource: Annotated[
        str | None, typer.Option(help="type:id, a resource type, or a resource id.")
    ] = None,
    result: Annotated[str | None, typer.Option(help=f"One of {', '.join(RESULTS)}.")] = None,
    since: Annotated[str | None, typer.Option(help="From: 1h, 30m, 2d ago, or ISO 8601.")] = None,
    until: Annotated[str | None, typer.Option(help="Before: 1h, 30m, 2d ago, or ISO.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many entries.")] = 100,
    url: Annotated[str | None, typer.Option(help="The governance service's base URL.")] = None,
    reader: Annotated[
        str, typer.Option("--as", help="Read as this actor (a local dev token; or LLMOPS_TOKEN).")
    ] = "dev",
) -> None:
    """Print audit log entries, newest first, one JSON object a line."""
    try:
        reading = local_token(reader)
        if limit < 1:
            raise BadInput("--limit must be at least 1")
        params = query(actor, resource, result, since, until, datetime.now(UTC))
        base = (url or governance_url()).rstrip("/")
        printed, token = 0, None
        while printed < limit:
            page = params | {"limit": str(min(limit - printed, MAX_LIMIT))}
            if token is not None:
                page["page_token"] = token
            body = _get(f"{base}/audit-log?{urllib.parse.urlencode(page)}", reading)
            for entry in body["items"]:
                typer.echo(json.dumps(entry, separators=(",", ":")))
            printed += len(body["items"])
            token = body.get("next_page_token")
            if token is None or not body["items"]:
                break
    except (BadInput, TokenRefused) as exc:
        typer.echo(f"llmops audit log: {exc}", err=True)
        raise typer.Exit(2) from None
    except (urllib.error.URLError, OSError) as exc:
        typer.echo(f"llmops audit log: the governance service does not answer: {exc}", err=True)
        raise typer.Exit(1) from None
