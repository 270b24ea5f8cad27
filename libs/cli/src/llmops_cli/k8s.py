"""Kubernetes manifests of each service rendered from its definition (`llmops dev k8s`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from llmops_runtime.service import ServiceDefinition
from llmops_runtime.topics import (
    REPLY_TOPIC_PREFIX,
    commands_topic,
    dead_letter_topic,
    events_topic,
)

CLUSTER = "llmops"
PORT = 8000
HEADER = "# Rendered by `llmops dev k8s` from the service definitions: do not edit.\n"


def _labels(name: str) -> dict[str, str]:
    return {"app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "llmops"}


def _topic(name: str, partitions: int, config: Mapping[str, str] | None = None) -> dict[str, Any]:
    return {
        "apiVersion": "kafka.strimzi.io/v1",
        "kind": "KafkaTopic",
        "metadata": {"name": name.replace("_", "-"), "labels": {"strimzi.io/cluster": CLUSTER}},
        "spec": {
            "topicName": name,
            "partitions": partitions,
            "replicas": 1,
            "config": dict(config or {"retention.ms": "604800000"}),
        },
    }


def consumed_topics(definition: ServiceDefinition) -> list[str]:
    """Events topics of other services that the definition's projections read."""
    # Imported here: llmops_runtime.projections must load after llmops_runtime.service.
    from llmops_runtime.projections import source_topics

    own = events_topic(definition.name)
    found = {t for p in definition.projections for t in source_topics(p)}
    return sorted(found - {own})


def topics(definition: ServiceDefinition) -> list[dict[str, Any]]:
    """The topics a service owns: commands, events (kept forever), dead letters, audit."""
    from llmops_runtime.relay.checkpoints import checkpoints_topic

    name = definition.name
    forever = {"retention.ms": "-1", "retention.bytes": "-1", "cleanup.policy": "delete"}
    return [
        _topic(commands_topic(name), 3),
        _topic(dead_letter_topic(commands_topic(name)), 1),
        _topic(events_topic(name), 3, forever),
        _topic(checkpoints_topic(events_topic(name)), 1, forever),
    ]


def _acl(kind: str, name: str, pattern: str, operations: list[str]) -> dict[str, Any]:
    return {
        "resource": {"type": kind, "name": name, "patternType": pattern},
        "operations": operations,
    }


def user(definition: ServiceDefinition) -> dict[str, Any]:
    """The service's Kafka user: produce its own topics, consume commands and consumed events."""
    name = definition.name
    own = f"llmops.{name}."
    acls = [
        _acl("topic", own, "prefix", ["Read", "Write", "Describe", "Create"]),
        _acl("topic", REPLY_TOPIC_PREFIX, "prefix", ["Write", "Describe"]),
        _acl("group", own, "prefix", ["Read", "Describe"]),
        _acl("transactionalId", own, "prefix", ["Write", "Describe"]),
        *(_acl("topic", t, "literal", ["Read", "Describe"]) for t in consumed_topics(definition)),
    ]
    return {
        "apiVersion": "kafka.strimzi.io/v1",
        "kind": "KafkaUser",
        "metadata": {"name": f"llmops-{name}", "labels": {"strimzi.io/cluster": CLUSTER}},
        "spec": {
            "authentication": {"type": "scram-sha-512"},
            "authorization": {"type": "simple", "acls": acls},
        },
    }


def client_user(definitions: Mapping[str, ServiceDefinition]) -> dict[str, Any]:
    """The client's Kafka user: send to every commands topic, read its own reply topics."""
    acls = [
        *(_acl("topic", commands_topic(n), "literal", ["Write", "Describe"]) for n in definitions),
        _acl("topic", REPLY_TOPIC_PREFIX, "prefix", ["Read", "Describe", "Create", "Delete"]),
        _acl("group", REPLY_TOPIC_PREFIX, "prefix", ["Read"]),
    ]
    return {
        "apiVersion": "kafka.strimzi.io/v1",
        "kind": "KafkaUser",
        "metadata": {"name": "llmops-client", "labels": {"strimzi.io/cluster": CLUSTER}},
        "spec": {
            "authentication": {"type": "scram-sha-512"},
            "authorization": {"type": "simple", "acls": acls},
        },
    }


def _env(definition: ServiceDefinition) -> list[dict[str, Any]]:
    svc = definition.name.upper()
    secret = {"secretKeyRef": {"name": f"llmops-db-{definition.name}", "key": "uri"}}
    settings = {"configMapKeyRef": {"name": "llmops-settings", "key": "", "optional": True}}
    env: list[dict[str, Any]] = [
        {"name": "KAFKA_BOOTSTRAP_SERVERS", "value": f"{CLUSTER}-kafka-bootstrap:9092"},
        {"name": "DATABASE_URL", "valueFrom": secret},
        {"name": f"LLMOPS_{svc}_HTTP_HOST", "value": "0.0.0.0"},
        {"name": f"LLMOPS_{svc}_HTTP_PORT", "value": str(PORT)},
    ]
    for variable in ("LLMOPS_AUTH_HS256_KEYS", "LLMOPS_AUTH_ISSUERS", *definition.deploy_settings):
        ref = {**settings["configMapKeyRef"], "key": variable}
        env.append({"name": variable, "valueFrom": {"configMapKeyRef": ref}})
    return env


def _probe(path: str, failures: int) -> dict[str, Any]:
    return {
        "httpGet": {"path": path, "port": "http"},
        "periodSeconds": 5,
        "timeoutSeconds": 3,
        "failureThreshold": failures,
    }


def deployment(definition: ServiceDefinition) -> dict[str, Any]:
    """The service's Deployment: the image built for it, probes on its operations routes."""
    name = definition.name
    container = {
        "name": name,
        "image": f"llmops/{name}:latest",
        "command": ["python", "-m", "llmops_runtime.service.run", name],
        "ports": [{"name": "http", "containerPort": PORT}],
        "env": _env(definition),
        "startupProbe": _probe("/healthz", 60),
        "livenessProbe": _probe("/healthz", 6),
        "readinessProbe": _probe("/readyz", 3),
        "resources": {
            "requests": {"cpu": "100m", "memory": "256Mi"},
            "limits": {"memory": "1Gi"},
        },
    }
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "labels": _labels(name)},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": _labels(name)},
            "template": {
                "metadata": {"labels": _labels(name)},
                "spec": {"containers": [container]},
            },
        },
    }


def service(definition: ServiceDefinition) -> dict[str, Any]:
    """The ClusterIP Service in front of the Deployment's HTTP port."""
    name = definition.name
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "labels": _labels(name)},
        "spec": {
            "selector": _labels(name),
            "ports": [{"name": "http", "port": PORT, "targetPort": "http"}],
        },
    }


def scaled_object(definition: ServiceDefinition) -> dict[str, Any]:
    """KEDA scaling on the lag of the service's command consumer group."""
    name = definition.name
    return {
        "apiVersion": "keda.sh/v1alpha1",
        "kind": "ScaledObject",
        "metadata": {"name": name, "labels": _labels(name)},
        "spec": {
            "scaleTargetRef": {"name": name},
            "minReplicaCount": 1,
            "maxReplicaCount": 3,
            "triggers": [
                {
                    "type": "kafka",
                    "metadata": {
                        "bootstrapServers": f"{CLUSTER}-kafka-bootstrap:9092",
                        "consumerGroup": f"llmops.{name}.command-handler",
                        "topic": commands_topic(name),
                        "lagThreshold": "50",
                    },
                }
            ],
        },
    }


def disruption_budget(definition: ServiceDefinition) -> dict[str, Any]:
    """At most one pod of the service evicted at a time (the dev overlay drops it)."""
    name = definition.name
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": {"name": name, "labels": _labels(name)},
        "spec": {"maxUnavailable": 1, "selector": {"matchLabels": _labels(name)}},
    }


def render_service(definition: ServiceDefinition) -> str:
    """Every per-service manifest of one service, as one multi-document YAML file."""
    documents = [
        *topics(definition),
        user(definition),
        deployment(definition),
        service(definition),
        disruption_budget(definition),
        scaled_object(definition),
    ]
    return HEADER + yaml.safe_dump_all(documents, sort_keys=False)


def render_k8s(definitions: Mapping[str, ServiceDefinition]) -> dict[str, str]:
    """File name -> content of deploy/k8s/base/generated (one file per service + kustomization)."""
    names = sorted(definitions)
    if not names:
        raise ValueError("no service is installed: run `make setup` first")
    files = {f"{n}.yaml": render_service(definitions[n]) for n in names}
    client = client_user({n: definitions[n] for n in names})
    files["client.yaml"] = HEADER + yaml.safe_dump(client, sort_keys=False)
    kustomization = {
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "resources": list(files),
    }
    files["kustomization.yaml"] = HEADER + yaml.safe_dump(kustomization, sort_keys=False)
    return files
