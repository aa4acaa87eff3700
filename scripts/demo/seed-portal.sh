#!/usr/bin/env bash
# seed-portal.sh TOKEN STATE_DIR: once the portal's backend answers, makes
# the demo's deployment through its API, as a user of the Deploy template
# would (idempotent: a second start finds it by its Idempotency-Key). Only
# with the local cluster (the demo's kserve is switched off without it).
set -uo pipefail
TOKEN=$1
STATE=$2
API=http://localhost:7007/api/llm-ops/v1
grep -q '"kube"' "$STATE/demo.json" 2>/dev/null || exit 0
for _ in $(seq 1 300); do
  # readiness first: a plugin asked before the backend has started logs a 503 as an error
  curl -fsS http://localhost:7007/.backstage/health/v1/readiness >/dev/null 2>&1 &&
    curl -fsS "$API/health" >/dev/null 2>&1 && break
  sleep 1
done
# the catalog must have read the example Model first
for _ in $(seq 1 120); do
  curl -fsS -H "Authorization: Bearer $TOKEN" \
    "http://localhost:7007/api/catalog/entities/by-name/model/default/support-assistant-llama-3-8b" >/dev/null 2>&1 && break
  sleep 1
done
status=$(curl -sS -o "$STATE/seed-deployment.json" -w '%{http_code}' \
  -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -H 'Idempotency-Key: demo-support-assistant-dev' \
  -X POST "$API/deployments" --data @- <<'JSON'
{
  "name": "support-assistant-dev",
  "environment": "dev",
  "backend": "kserve",
  "namespace": "llm-dev",
  "spec": {
    "kind": "DeploymentSpec",
    "model_ref": "model:default/support-assistant-llama-3-8b",
    "model_family": "llama",
    "job_type": "SFT",
    "resources": { "gpus": 1, "gpu_memory_gb": 24 },
    "runtime": { "max_concurrent_requests": 8, "max_input_tokens": 4096, "max_output_tokens": 1024 },
    "rollout": { "strategy": "rolling", "traffic_split": { "old": 0, "new": 100 } }
  }
}
JSON
)
echo "demo: deployment support-assistant-dev made through the API (HTTP $status)"
