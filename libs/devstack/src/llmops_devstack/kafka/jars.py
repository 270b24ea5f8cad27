"""Fetching the Apache Kafka broker jars from Maven Central, once, into a cache folder."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from importlib import resources
from pathlib import Path

KAFKA_VERSION = "4.4.0"
_COMPLETE = ".complete"


class KafkaJarsError(RuntimeError):
    """Maven could not resolve the broker's jars."""


def _pom() -> Path:
    return Path(str(resources.files(__package__).joinpath("pom.xml")))


def ensure_kafka_jars(cache: Path) -> Path:
    """The folder holding the broker's runtime classpath, resolved by `mvn` on first use."""
    pom = _pom()
    digest = hashlib.sha256(pom.read_bytes()).hexdigest()[:16]
    target = cache / f"kafka-{KAFKA_VERSION}-{digest}"
    if (target / _COMPLETE).exists():
        return target
    mvn = shutil.which("mvn")
    if mvn is None:
        raise KafkaJarsError("Maven (`mvn`) is needed once to fetch the Kafka jars; install it")
    # Stale jars of another version in the folder break the broker: start empty.
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    command = [
        mvn, "-q", "-B", "-f", str(pom), "dependency:copy-dependencies",
        "-DincludeScope=runtime", f"-DoutputDirectory={target}",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0 or not any(target.glob("kafka_2.13-*.jar")):
        raise KafkaJarsError(f"mvn failed ({result.returncode}):\n{result.stdout[-4000:]}")
    (target / _COMPLETE).write_text(KAFKA_VERSION)
    return target
