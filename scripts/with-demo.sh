#!/usr/bin/env bash
# Starts the demo stack that `make start` runs (scripts/demo/start.ts: the
# real tools with the example organisation's data) in a fresh folder, runs
# the given command with PORTAL_EXTRA_CONFIG pointing the portal at it and
# LLMOPS_E2E_PEERS naming its state file, then stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RESULTS=$ROOT/test-results
mkdir -p "$RESULTS"
STATE=$(mktemp -d /tmp/llmops-demo.XXXXXX)
export PATH=$ROOT/.tools/node_modules/node/bin:$PATH
source scripts/lib/groups.sh
trap 'stop_groups; rm -rf "$STATE"' EXIT
# Any free port for MLflow: the portal's own tests may run beside a `make start`.
LLMOPS_DEMO_MLFLOW_PORT=${LLMOPS_DEMO_MLFLOW_PORT:-0} \
  start_group "$RESULTS/demo.log" node -r @backstage/cli/config/nodeTransform.cjs scripts/demo/start.ts "$STATE"
DEMO_PID=$GROUP_PID

for _ in $(seq 1 600); do
  [ -f "$STATE/demo.json" ] && break
  if ! kill -0 "$DEMO_PID" 2>/dev/null; then
    echo "The demo stack exited; its log:" >&2
    cat "$RESULTS/demo.log" >&2
    exit 1
  fi
  sleep 1
done
[ -f "$STATE/demo.json" ] || { echo "The demo stack did not start in time" >&2; cat "$RESULTS/demo.log" >&2; exit 1; }
grep '^demo:' "$RESULTS/demo.log" || true
export PORTAL_EXTRA_CONFIG=$STATE/app-config.demo.yaml
export LLMOPS_E2E_PEERS=$STATE/demo.json
"$@"
