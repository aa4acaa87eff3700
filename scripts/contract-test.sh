#!/usr/bin/env bash
# Contract test: schemathesis (from PyPI) against the served OpenAPI document
# of /api/llm-ops/v1. Run inside scripts/with-portal.sh, with
# app-config.tools-down.yaml. Two passes:
#   1. as the trusted contract-test service: any 5xx, and any response that
#      breaks the schema, fails;
#   2. as a signed-in engineer who owns nothing and is no admin (the guest,
#      user:default/fuzz-intern), with the path ids of records another
#      subject owns: besides those checks, any 2xx to a change this user may
#      not make fails (scripts/contract/non_owner.py).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.llmops-test/venv
ST=$VENV/bin/schemathesis
PORTAL_URL=${PORTAL_URL:-http://localhost:7007}
API=$PORTAL_URL/api/llm-ops/v1
SERVICE='Authorization: Bearer llmops-contract-test-token'
CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance

fuzz() {
  local auth=$1 report=$2 checks=$3
  "$ST" run "$API/openapi.json" \
    --url "$PORTAL_URL" \
    --header "$auth" \
    --checks "$checks" \
    --max-examples "${CONTRACT_MAX_EXAMPLES:-40}" \
    --workers 1 \
    --suppress-health-check all \
    --report junit --report-dir "test-results/$report"
}

echo "=== contract: as the contract-test service"
fuzz "$SERVICE" schemathesis "$CHECKS"

# Records another subject owns: a job and a canary deployment, made by the
# service (its tools are down, so both wait in the retry queue).
json() { "$VENV/bin/python" -c "import json,sys; print(json.load(sys.stdin)$1)"; }
post() {
  local out
  out=$(curl -sS -H "$SERVICE" -H 'Content-Type: application/json' -X POST "$API/$1" --data "$2" -w '\n%{http_code}')
  case ${out##*$'\n'} in
    2*) echo "${out%$'\n'*}" ;;
    *) echo "POST $1: ${out//$'\n'/ }" >&2; return 1 ;;
  esac
}
job=$(post training-jobs '{"spec": {
  "kind": "TrainJobSpec", "job_type": "SFT", "model_family": "llama",
  "base_model_ref": "model:default/llama-3-8b",
  "dataset_ref": {"name": "support-tickets-sft", "version": "v3", "type": "sft_pair", "storage_uri": "s3://datasets/support-tickets-sft/v3"},
  "hyperparams": {"lr": 2e-5, "batch_size": 8, "num_epochs": 3, "max_seq_len": 4096, "precision": "bf16"},
  "method": "lora", "resources": {"gpus": 1, "gpu_type": "nvidia-a100-80gb", "nodes": 1},
  "output": {"artifact_name": "fuzz-foreign-job", "save_format": "safetensors"}}}')
JOB=$(json "['data']['id']" <<<"$job")
deployment=$(post deployments '{"name": "fuzz-foreign", "environment": "dev", "namespace": "llm-dev", "spec": {
  "kind": "DeploymentSpec", "model_ref": "model:default/support-assistant-llama-3-8b",
  "model_family": "llama", "job_type": "SFT", "resources": {"gpus": 1, "gpu_memory_gb": 24},
  "runtime": {"max_concurrent_requests": 8, "max_input_tokens": 4096, "max_output_tokens": 1024},
  "rollout": {"strategy": "canary", "traffic_split": {"old": 90, "new": 10}}}}')
DEPLOYMENT=$(json "['data']['id']" <<<"$deployment")
echo "foreign job $JOB, foreign deployment $DEPLOYMENT"

# The guest's own Backstage token, as the sign-in page gets it.
GUEST=$(curl -fsS -H 'X-Requested-With: XMLHttpRequest' "$PORTAL_URL/api/auth/guest/refresh" |
  json "['backstageIdentity']['token']")

echo "=== contract: as an engineer who owns nothing"
LLMOPS_FOREIGN_JOB=$JOB LLMOPS_FOREIGN_DEPLOYMENT=$DEPLOYMENT \
  LLMOPS_FOREIGN_MODEL=support-assistant \
  SCHEMATHESIS_HOOKS=non_owner PYTHONPATH=$PWD/scripts/contract \
  fuzz "Authorization: Bearer $GUEST" schemathesis-non-owner "$CHECKS,not_allowed_to_non_owner"

# No change of the fuzz pass reached the records.
job=$(curl -fsS -H "$SERVICE" "$API/training-jobs/$JOB" | json "['data']['status']")
revision=$(curl -fsS -H "$SERVICE" "$API/deployments/$DEPLOYMENT" | json "['data']['revision']")
echo "after the fuzz pass: job $job, deployment revision $revision"
case $job in cancel*) echo "the foreign job was cancelled" >&2; exit 1 ;; esac
[ "$revision" = 1 ] || { echo "the foreign deployment changed" >&2; exit 1; }
