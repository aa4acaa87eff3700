#!/usr/bin/env bash
# `make start`: the portal at http://localhost:3000 (backend on :7007) with
# the local demo stack, the real tools on loopback with data that matches
# the example catalog (scripts/demo/start.ts). LLMOPS_DEMO=0 starts the bare
# portal. Ctrl-C stops everything. Called by the Makefile with the project's
# own Node 22 and Yarn on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
YARN=(node "$ROOT/.tools/node_modules/@yarnpkg/cli-dist/bin/yarn.js")
STATE=${LLMOPS_DEMO_DIR:-$ROOT/.llmops-demo}
CONFIG=(--config "$ROOT/app-config.yaml")
source scripts/lib/groups.sh

if [ "${LLMOPS_DEMO:-1}" != 0 ]; then
  start=$SECONDS
  command -v git >/dev/null || {
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends git >/dev/null
  }
  scripts/peers/python-venv.sh
  mkdir -p "$STATE"
  rm -f "$STATE/demo.json"
  # for the deployments the demo makes through the portal's API, once it is up
  DEMO_TOKEN=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  LLMOPS_DEMO_TOKEN=$DEMO_TOKEN start_group "$STATE/demo.log" node -r @backstage/cli/config/nodeTransform.cjs scripts/demo/start.ts "$STATE"
  DEMO_PID=$GROUP_PID
  tail -n +1 -f "$STATE/demo.log" --pid "$DEMO_PID" &
  TAIL_PID=$!
  until [ -f "$STATE/demo.json" ]; do
    if ! kill -0 "$DEMO_PID" 2>/dev/null; then
      kill "$TAIL_PID" 2>/dev/null || true
      echo "The demo stack did not start; its log is $STATE/demo.log" >&2
      exit 1
    fi
    sleep 1
  done
  kill "$TAIL_PID" 2>/dev/null || true
  CONFIG+=(--config "$STATE/app-config.demo.yaml")
  echo "demo: the tools started in $((SECONDS - start)) s (LLMOPS_DEMO=0 make start leaves them out)"
fi

# Your own settings (ignored by git) win over the demo's.
if [ -f "$ROOT/app-config.local.yaml" ]; then CONFIG+=(--config "$ROOT/app-config.local.yaml"); fi

cat <<EOM

  The portal:   http://localhost:3000   (backend http://localhost:7007)
  Tool health:  http://localhost:3000/llm-ops/integrations
EOM
start_group - "${YARN[@]}" start "${CONFIG[@]}"
PORTAL_PID=$GROUP_PID
if [ -n "${DEMO_TOKEN:-}" ]; then
  scripts/demo/seed-portal.sh "$DEMO_TOKEN" "$STATE" &
fi
wait_group "$PORTAL_PID"
