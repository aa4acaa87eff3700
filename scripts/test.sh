#!/usr/bin/env bash
# `make test`: every check, on a fresh machine. Installs what the tests need,
# starts each real service they use, and prints how long each stage took.
# Called by the Makefile with the project's own Node 22 and Yarn on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
YARN=(node "$ROOT/.tools/node_modules/@yarnpkg/cli-dist/bin/yarn.js")
export CI=true
mkdir -p test-results .llmops-test

declare -a STAGES=()
stage() {
  local name=$1
  shift
  local start=$SECONDS
  echo
  echo "=== stage: $name"
  "$@"
  local took=$((SECONDS - start))
  STAGES+=("$(printf '%-22s %4ds' "$name" "$took")")
  echo "=== stage: $name took ${took}s"
}

system_packages() {
  local missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v etcd >/dev/null || missing+=(etcd-server)
  command -v git >/dev/null || missing+=(git)
  command -v openssl >/dev/null || missing+=(openssl)
  if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  chromium --version
}

# The real tools the tests run on loopback: MLflow, DVC, olah and
# schemathesis from PyPI; a Kubernetes cluster (control plane, kwok GPU
# nodes, Argo Workflows, KServe, KubeRay) built from the Go module proxy
# over Debian's etcd, cached by version outside the checkout.
peers() {
  scripts/peers/python-venv.sh
  scripts/peers/cluster.sh
  export LLMOPS_PEERS=1
}

start_postgres() {
  local url
  url=$(scripts/peers/postgres.sh start)
  # backend-test-utils' TestDatabases runs the database tests against it.
  export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING=$url
  echo "PostgreSQL at $url"
}
trap 'scripts/peers/postgres.sh stop' EXIT

# A full check, not an incremental one: the API reports read its declarations, and TypeScript
# orders a union's members by when it met them, which an incremental build changes.
typecheck() { "${YARN[@]}" tsc --incremental false; }
# Each plugin's API report (report*.api.md) matches its exports: `yarn build:api-reports` updates them.
api_reports() { "${YARN[@]}" build:api-reports --ci; }
lint() { "${YARN[@]}" backstage-cli repo lint; }
unit() { "${YARN[@]}" backstage-cli repo test --ci; }
build_app() { "${YARN[@]}" workspace app build; }
make_start_tests() {
  # `make start`'s own script: the demo stack and the dev server, as a newcomer runs it.
  scripts/with-make-start.sh node --test --test-concurrency=1 e2e/start/*.test.mjs
}
portal_tests() {
  # Browser tests: the portal with the demo stack that `make start` runs,
  # then the walk of the first pages (console, requests, axe-core).
  scripts/with-demo.sh scripts/with-portal.sh node --test --test-concurrency=1 e2e/*.test.mjs e2e/walk/*.test.mjs
  # The portal with every tool down: the same walk (no "has no" may show),
  # then the contract tests.
  PORTAL_EXTRA_CONFIG=$ROOT/app-config.tools-down.yaml scripts/with-portal.sh bash -c \
    'LLMOPS_WALK_TOOLS=down node --test --test-concurrency=1 e2e/walk/*.test.mjs && scripts/contract-test.sh'
}

stage "system packages" system_packages
stage "tool peers" peers
stage "postgresql" start_postgres
stage "type check" typecheck
stage "api reports" api_reports
stage "lint" lint
stage "unit tests" unit
stage "build app" build_app
stage "make start" make_start_tests
stage "browser+contract" portal_tests

echo
echo "=== stage timings"
printf '%s\n' "${STAGES[@]}"
