#!/usr/bin/env bash
# Serves the built portal (frontend and backend together on :7007, SQLite in
# memory, the example catalog), runs the given command against it, then
# stops the portal. The backend log goes to test-results/backend.log.
# PORTAL_EXTRA_CONFIG names one more app-config file.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
LOG=$ROOT/test-results/backend.log
mkdir -p test-results
export PORTAL_URL=${PORTAL_URL:-http://localhost:7007}

CONFIG=(--config ../../app-config.yaml --config ../../app-config.test.yaml)
# scripts/with-demo.sh adds the addresses of the real tools it started.
if [ -n "${PORTAL_EXTRA_CONFIG:-}" ]; then CONFIG+=(--config "$PORTAL_EXTRA_CONFIG"); fi
source scripts/lib/groups.sh
start_group "$LOG" bash -c 'cd packages/backend && exec node "$0/.tools/node_modules/@yarnpkg/cli-dist/bin/yarn.js" start "${@}"' \
  "$ROOT" "${CONFIG[@]}"
PORTAL_PID=$GROUP_PID

for _ in $(seq 1 180); do
  # readiness first: a plugin asked before the backend has started logs a 503 as an error
  if curl -fsS "$PORTAL_URL/.backstage/health/v1/readiness" >/dev/null 2>&1 &&
    curl -fsS "$PORTAL_URL/api/llm-ops/v1/health" >/dev/null 2>&1 &&
    curl -fsS "$PORTAL_URL/" >/dev/null 2>&1; then
    break
  fi
  if ! kill -0 "$PORTAL_PID" 2>/dev/null; then
    echo "The backend exited; its log:" >&2
    cat "$LOG" >&2
    exit 1
  fi
  sleep 1
done
# The catalog has read the example entities (the tests refer to them).
for _ in $(seq 1 120); do
  ready=1
  for ref in model/default/support-assistant-llama-3-8b deployment/default/support-assistant-dev; do
    curl -fsS -H 'Authorization: Bearer llmops-contract-test-token' \
      "$PORTAL_URL/api/catalog/entities/by-name/$ref" >/dev/null 2>&1 || ready=0
  done
  [ "$ready" = 1 ] && break
  sleep 1
done
"$@"
