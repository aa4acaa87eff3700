#!/usr/bin/env bash
# Starts the real tools the browser tests use (e2e/peers/start.ts: MLflow
# seeded with runs, a Kubernetes API serving KServe's CRD), runs the given
# command with PORTAL_EXTRA_CONFIG pointing at them, then stops them.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RESULTS=$ROOT/test-results
mkdir -p "$RESULTS"
rm -f "$RESULTS/e2e-peers.json" "$RESULTS/e2e-peers.yaml"
export PATH=$ROOT/.tools/node_modules/node/bin:$PATH
source scripts/lib/groups.sh
start_group "$RESULTS/peers.log" node -r @backstage/cli/config/nodeTransform.cjs e2e/peers/start.ts "$RESULTS"
PEERS_PID=$GROUP_PID

for _ in $(seq 1 240); do
  [ -f "$RESULTS/e2e-peers.json" ] && break
  if ! kill -0 "$PEERS_PID" 2>/dev/null; then
    echo "The peers exited; their log:" >&2
    cat "$RESULTS/peers.log" >&2
    exit 1
  fi
  sleep 1
done
[ -f "$RESULTS/e2e-peers.json" ] || { echo "The peers did not start in time" >&2; cat "$RESULTS/peers.log" >&2; exit 1; }
cat "$RESULTS/peers.log"
export PORTAL_EXTRA_CONFIG=$RESULTS/e2e-peers.yaml
export LLMOPS_E2E_PEERS=$RESULTS/e2e-peers.json
"$@"
