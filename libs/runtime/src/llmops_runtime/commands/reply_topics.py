"""Which reply topics exist: one metadata request per batch, never a wait per record."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

import structlog

log = structlog.get_logger("llmops.commands")

MAX_CACHED_TOPICS = 10_000
MISSING_TTL_S = 10.0


class ReplyTopics:
    """Bounded caches of reply topics seen to exist and seen missing (with a time to live)."""

    def __init__(
        self,
        client: Any,
        *,
        timeout_s: float,
        max_entries: int = MAX_CACHED_TOPICS,
        missing_ttl_s: float = MISSING_TTL_S,
    ) -> None:
        self._client = client  # the producer's AIOKafkaClient
        self._timeout_s = timeout_s
        self._max = max_entries
        self._ttl = missing_ttl_s
        self._known: OrderedDict[str, None] = OrderedDict()
        self._missing: OrderedDict[str, float] = OrderedDict()

    async def existing(self, topics: Iterable[str]) -> set[str]:
        """The topics that exist; at most one metadata request for all unknown ones."""
        wanted = set(topics)
        now = time.monotonic()
        unknown = {t for t in wanted if t not in self._known and self._missing.get(t, 0) <= now}
        if unknown:
            await self._look_up(unknown, now)
        for topic in wanted & self._known.keys():
            self._known.move_to_end(topic)
        return wanted & self._known.keys()

    def forget(self, topic: str) -> None:
        """A topic that stopped answering: look it up again next time."""
        self._known.pop(topic, None)
        self._remember(self._missing, topic, time.monotonic() + self._ttl)

    async def _look_up(self, topics: set[str], now: float) -> None:
        try:
            cluster = await asyncio.wait_for(self._client.fetch_all_metadata(), self._timeout_s)
        except Exception:  # the broker is slow or away: answer these later, block nothing
            log.warning("reply_topics_unavailable", count=len(topics), exc_info=True)
            return
        present = cluster.topics()
        for topic in topics:
            if topic in present:
                self._missing.pop(topic, None)
                self._remember(self._known, topic, None)
            else:
                self._remember(self._missing, topic, now + self._ttl)

    def _remember(self, cache: OrderedDict[str, Any], topic: str, value: Any) -> None:
        cache[topic] = value
        cache.move_to_end(topic)
        while len(cache) > self._max:
            cache.popitem(last=False)
