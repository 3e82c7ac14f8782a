#!/usr/bin/env bash
# Checks the deployment files with the tools this machine has, and says which it could not check.
#   compose.yaml  `docker compose config` (or docker-compose v1): schema and interpolation
#   k8s/          `kubectl kustomize` renders it; validate/k8s.mjs checks every object against the
#                 Kubernetes API schemas (types, required fields, no unknown field)
#   nginx.conf    `nginx -t` inside a minimal main configuration, the instances' names replaced by
#                 127.0.0.1 (they resolve only inside compose)
# Needs npm for the schemas (installed once into ~/.cache/governance-deploy-validate).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
failed=0

# The compose file refuses to render without a signing key; any value does for a check.
export GOVERNANCE_SIGNING_KEY="${GOVERNANCE_SIGNING_KEY:-validate-only-not-a-real-key-0123456789}"
if docker compose version >/dev/null 2>&1; then
    docker compose -f "$here/compose.yaml" config --quiet && echo "compose.yaml: valid (docker compose config)" || failed=1
elif command -v docker-compose >/dev/null 2>&1; then
    docker-compose -f "$here/compose.yaml" config --quiet && echo "compose.yaml: valid ($(docker-compose version --short) config)" || failed=1
else
    echo "compose.yaml: NOT checked: neither 'docker compose' nor 'docker-compose' is installed"
fi

if command -v nginx >/dev/null 2>&1; then
    check="$(mktemp -d)"
    sed 's/governance-[0-9]*:5080/127.0.0.1:5080/' "$here/nginx.conf" > "$check/site.conf"
    printf 'events {}\npid %s/nginx.pid;\nerror_log stderr;\nhttp { include %s/site.conf; }\n' "$check" "$check" > "$check/nginx.conf"
    nginx -q -t -c "$check/nginx.conf" && echo "nginx.conf: valid ($(nginx -v 2>&1 | sed 's/.*: //') -t)" || failed=1
    rm -rf "$check"
else
    echo "nginx.conf: NOT checked: nginx is not installed"
fi

if ! command -v kubectl >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "k8s/: NOT checked: needs kubectl (for kustomize) and npm (for the schemas)"
else
    cache="${XDG_CACHE_HOME:-$HOME/.cache}/governance-deploy-validate"
    mkdir -p "$cache"
    cp "$here/validate/package.json" "$here/validate/k8s.mjs" "$cache/"
    (cd "$cache" && npm install --no-audit --no-fund --silent >/dev/null)
    # The Secret and the Ingress are examples outside kustomization.yaml: checked too.
    if { kubectl kustomize "$here/k8s"; echo ---; cat "$here/k8s/secret.example.yaml"; echo ---; cat "$here/k8s/ingress.yaml"; } \
        | (cd "$cache" && node k8s.mjs); then
        echo "k8s/: valid (kubectl kustomize + Kubernetes API schemas)"
    else
        failed=1
    fi
fi
exit $failed
