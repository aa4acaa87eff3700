#!/usr/bin/env bash
# Runs `make start`'s script (scripts/start.sh: the demo stack, the dev
# server on :3000 and the backend on :7007) with its state in a fresh
# folder, runs the given command once the portal answers, then stops it all.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
LOG=$ROOT/test-results/make-start.log
mkdir -p test-results
STATE=$(mktemp -d /tmp/llmops-make-start.XXXXXX)
source scripts/lib/groups.sh
trap 'stop_groups; rm -rf "$STATE"' EXIT
LLMOPS_DEMO_DIR=$STATE LLMOPS_DEMO_MLFLOW_PORT=0 start_group "$LOG" scripts/start.sh
START_PID=$GROUP_PID
start=$SECONDS
for _ in $(seq 1 600); do
  # readiness first: a plugin asked before the backend has started logs a 503 as an error
  if curl -fsS http://localhost:7007/.backstage/health/v1/readiness >/dev/null 2>&1 &&
    curl -fsS http://localhost:7007/api/llm-ops/v1/health >/dev/null 2>&1 &&
    curl -fsS http://localhost:3000/ >/dev/null 2>&1; then
    break
  fi
  if ! kill -0 "$START_PID" 2>/dev/null; then
    echo "make start exited; its log:" >&2
    cat "$LOG" >&2
    exit 1
  fi
  sleep 1
done
echo "make start served the portal after $((SECONDS - start)) s"
grep '^demo:' "$LOG" || true
"$@"
