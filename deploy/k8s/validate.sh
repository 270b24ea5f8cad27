#!/usr/bin/env bash
# Build an overlay and validate every resource strictly (no cluster needed).
set -euo pipefail
cd "$(dirname "$0")/../.."
CACHE=${LLMOPS_K8S_CACHE:-$PWD/.llmops/cache/k8s}  # a copied workspace points at the checkout's
# Strimzi publishes no CRD schema to a registry this build can reach: its kinds are skipped.
kubectl kustomize "deploy/k8s/overlays/$1" | "${KUBECONFORM:-.tools/bin/kubeconform}" -strict -summary \
  -skip Kafka,KafkaNodePool,KafkaTopic,KafkaUser \
  -schema-location "$CACHE/kubernetes/v1.37.0-local-strict/standalone/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
  -schema-location "$CACHE/crds/{{ .ResourceKind }}_{{ .Group }}_{{ .ResourceAPIVersion }}.json"
