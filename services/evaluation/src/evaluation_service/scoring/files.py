"""Reading a run's snapshot and predictions: bounded, digested, every problem a clear reason."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from llmops_events.evaluation import RUN_ITEMS_MAX

ID_MAX_CHARS = 200
TEXT_MAX_CHARS = 100_000


class FileProblem(Exception):
    """A file a run needs is missing, too large or malformed; the message is the run's reason."""


@dataclass(frozen=True)
class JsonlFile:
    """The rows of a JSONL file by id (in file order) and the SHA-256 of its bytes."""

    rows: dict[str, dict[str, object]]
    digest: str


@dataclass(frozen=True)
class ReadLimits:
    """What the worker may read: files under these directories, of at most max_bytes each."""

    max_bytes: int
    roots: tuple[Path, ...]

    def __post_init__(self) -> None:
        # Compared after symlinks are resolved, so a link cannot lead outside a root.
        object.__setattr__(self, "roots", tuple(Path(r).resolve() for r in self.roots))


def local_path(uri: str, roots: tuple[Path, ...]) -> Path:
    """The path of a `file://` URI under one of roots; any other scheme or place is refused."""
    parsed = urlparse(uri)
    if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
        raise FileProblem(f"{uri!r}: only file:// URIs on this host can be read")
    path = Path(unquote(parsed.path)).resolve()
    if not any(path.is_relative_to(root) for root in roots):
        allowed = ", ".join(str(r) for r in roots) or "none configured"
        raise FileProblem(f"{uri!r}: outside the directories runs may read ({allowed})")
    return path


def _read_bounded(what: str, uri: str, limits: ReadLimits) -> bytes:
    path = local_path(uri, limits.roots)
    max_bytes = limits.max_bytes
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise FileProblem(f"{what} file not found: {uri}") from None
    except OSError as error:
        raise FileProblem(f"{what} file cannot be read: {uri}: {error.strerror}") from None
    if len(data) > max_bytes:
        raise FileProblem(f"{what} file is larger than {max_bytes} bytes: {uri}")
    return data


def _row(what: str, number: int, line: bytes, fields: tuple[str, ...]) -> dict[str, object]:
    where = f"{what} line {number}"
    try:
        row = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FileProblem(f"{where}: not valid JSON ({error})") from None
    if not isinstance(row, dict):
        raise FileProblem(f"{where}: not a JSON object")
    item_id = row.get("id")
    if not isinstance(item_id, str) or not 1 <= len(item_id) <= ID_MAX_CHARS:
        raise FileProblem(f"{where}: `id` must be a string of 1-{ID_MAX_CHARS} characters")
    for field in fields:
        value = row.get(field)
        if not isinstance(value, str) or len(value) > TEXT_MAX_CHARS:
            raise FileProblem(f"{where}: `{field}` must be a string of <= {TEXT_MAX_CHARS} chars")
    return row


def read_jsonl(what: str, uri: str, fields: tuple[str, ...], *, limits: ReadLimits) -> JsonlFile:
    """The file's rows, each an object with a unique string `id` and the text `fields`."""
    data = _read_bounded(what, uri, limits)
    rows: dict[str, dict[str, object]] = {}
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        row = _row(what, number, line, fields)
        item_id = str(row["id"])
        if item_id in rows:
            raise FileProblem(f"{what} line {number}: id {item_id!r} appears twice")
        if len(rows) == RUN_ITEMS_MAX:
            raise FileProblem(f"{what} file has more than {RUN_ITEMS_MAX} items")
        rows[item_id] = row
    if not rows:
        raise FileProblem(f"{what} file holds no items: {uri}")
    return JsonlFile(rows, hashlib.sha256(data).hexdigest())
