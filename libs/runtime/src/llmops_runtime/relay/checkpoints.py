"""Signed audit checkpoints: the relay anchors the chain head outside the database."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from aiokafka import AIOKafkaProducer
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from llmops_runtime.eventstore.records import StoredRecord
from llmops_runtime.topics import ensure_topics

DEV_CHECKPOINT_KEY_PATH = Path(".llmops") / "audit-checkpoint-key"


def checkpoints_topic(events_topic: str) -> str:
    """`llmops.<svc>.audit-checkpoints` for `llmops.<svc>.events`."""
    return events_topic.removesuffix(".events") + ".audit-checkpoints"


# Checkpoints are the anchor: they must outlive any events retention.
CHECKPOINT_TOPIC_CONFIG = {"retention.ms": "-1", "retention.bytes": "-1"}


async def ensure_checkpoints_topic(bootstrap: str, events_topic: str) -> str:
    """Create the single-partition, never-expiring checkpoints topic of events_topic."""
    name = checkpoints_topic(events_topic)
    await ensure_topics(bootstrap, {name: 1}, configs={name: CHECKPOINT_TOPIC_CONFIG})
    return name


class AuditSettings(BaseSettings):
    """`LLMOPS_AUDIT_CHECKPOINT_KEY` (HMAC key the database never holds) and the cadence."""

    model_config = SettingsConfigDict(env_prefix="LLMOPS_AUDIT_")

    checkpoint_key: SecretStr | None = None
    checkpoint_every_events: int = 1000
    checkpoint_every_s: float = 10.0


def dev_checkpoint_key(path: Path = DEV_CHECKPOINT_KEY_PATH) -> str:
    """The local stack's checkpoint key: generated once into the git-ignored `.llmops/`."""
    # Imported here: the auth package imports the projections, which import the relay, so a
    # module-level import would make the projections unimportable before the auth package.
    from llmops_runtime.auth.settings import dev_secret

    return dev_secret(path)


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """The chain head at a position, as the relay published it."""

    schema: str
    position: int
    hash: bytes
    signed_at: str
    signature: bytes

    def to_json(self) -> bytes:
        """The Kafka record value."""
        body = {
            "schema": self.schema,
            "position": self.position,
            "hash": self.hash.hex(),
            "signed_at": self.signed_at,
            "signature": self.signature.hex(),
        }
        return json.dumps(body, separators=(",", ":")).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Checkpoint:
        """Parse a record value; raises ValueError (or KeyError/TypeError) when malformed."""
        body = json.loads(data)
        return cls(
            str(body["schema"]),
            int(body["position"]),
            bytes.fromhex(body["hash"]),
            str(body["signed_at"]),
            bytes.fromhex(body["signature"]),
        )


def _signed_text(schema: str, position: int, head: bytes, signed_at: str) -> bytes:
    return f"llmops-audit-checkpoint|{schema}|{position}|{head.hex()}|{signed_at}".encode()


def sign_checkpoint(key: str, schema: str, position: int, head: bytes) -> Checkpoint:
    """A checkpoint of schema's chain head at position, HMAC-SHA256 signed with key."""
    signed_at = datetime.now(UTC).isoformat(timespec="microseconds")
    text = _signed_text(schema, position, head, signed_at)
    signature = hmac.new(key.encode(), text, hashlib.sha256).digest()
    return Checkpoint(schema, position, head, signed_at, signature)


def signature_holds(key: str, checkpoint: Checkpoint) -> bool:
    """Whether checkpoint was signed with key."""
    text = _signed_text(
        checkpoint.schema, checkpoint.position, checkpoint.hash, checkpoint.signed_at
    )
    expected = hmac.new(key.encode(), text, hashlib.sha256).digest()
    return hmac.compare_digest(expected, checkpoint.signature)


class Checkpointer:
    """Publishes a signed checkpoint of the published head every N events or T seconds."""

    def __init__(
        self,
        key: str,
        schema: str,
        events_topic: str,
        *,
        every_events: int = 1000,
        every_s: float = 10.0,
    ) -> None:
        self.key = key
        self.schema = schema
        self.topic = checkpoints_topic(events_topic)
        self.every_events = every_events
        self.every_s = every_s
        self._head: tuple[int, bytes] | None = None
        self._since = 0
        self._last = time.monotonic()
        self.published_position = 0

    @classmethod
    def from_settings(
        cls, schema: str, events_topic: str, settings: AuditSettings | None = None
    ) -> Checkpointer | None:
        """A checkpointer when a key is configured, else None."""
        settings = settings or AuditSettings()
        if settings.checkpoint_key is None:
            return None
        return cls(
            settings.checkpoint_key.get_secret_value(),
            schema,
            events_topic,
            every_events=settings.checkpoint_every_events,
            every_s=settings.checkpoint_every_s,
        )

    async def after_batch(self, producer: AIOKafkaProducer, published: list[StoredRecord]) -> None:
        """Note a batch the broker acknowledged; checkpoint when N events or T seconds passed."""
        if published:
            self._head = (published[-1].position, published[-1].hash)
            self._since += len(published)
        due = self._since >= self.every_events or time.monotonic() - self._last >= self.every_s
        if due and self._head is not None and self._head[0] > self.published_position:
            await self.publish(producer, *self._head)

    async def publish(self, producer: AIOKafkaProducer, position: int, head: bytes) -> None:
        """Sign and publish the head at position, returning once the broker acknowledged it."""
        checkpoint = sign_checkpoint(self.key, self.schema, position, head)
        ack = await producer.send(self.topic, value=checkpoint.to_json(), key=self.schema.encode())
        await ack
        self.published_position = position
        self._since = 0
        self._last = time.monotonic()
