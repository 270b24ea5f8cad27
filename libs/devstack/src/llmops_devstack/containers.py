"""The same stack from the official images, where a Docker engine answers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

KAFKA_IMAGE = "apache/kafka:4.4.0"
POSTGRES_IMAGE = "postgres:18"


@dataclass(frozen=True)
class ContainerStack:
    """Kafka and PostgreSQL containers, stopped together."""

    bootstrap_servers: str
    database_url: str
    stop: Callable[[], None]


def docker_answers() -> bool:
    """True when a Docker engine responds to a ping."""
    try:
        import docker

        docker.from_env().ping()
    except Exception:  # any failure means: no usable engine here
        return False
    return True


def start_containers() -> ContainerStack:
    """Start the official `apache/kafka` and `postgres` images with testcontainers."""
    from testcontainers.kafka import KafkaContainer
    from testcontainers.postgres import PostgresContainer

    kafka: Any = KafkaContainer(KAFKA_IMAGE).with_kraft()
    kafka.with_env("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
    postgres: Any = PostgresContainer(POSTGRES_IMAGE, dbname="llmops", driver=None)
    kafka.start()
    postgres.start()

    def stop() -> None:
        postgres.stop()
        kafka.stop()

    url = postgres.get_connection_url().replace("postgresql+psycopg2", "postgresql")
    return ContainerStack(kafka.get_bootstrap_server(), url, stop)
