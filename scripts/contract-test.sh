#!/usr/bin/env bash
# Contract test: schemathesis (from PyPI) against the served OpenAPI document
# of /api/llm-ops/v1. Fails on any 5xx and on any response that breaks the
# schema. Run inside scripts/with-portal.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
ST=.llmops-test/venv/bin/schemathesis
PORTAL_URL=${PORTAL_URL:-http://localhost:7007}
"$ST" run "$PORTAL_URL/api/llm-ops/v1/openapi.json" \
  --url "$PORTAL_URL" \
  --header 'Authorization: Bearer llmops-contract-test-token' \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance \
  --max-examples "${CONTRACT_MAX_EXAMPLES:-40}" \
  --workers 1 \
  --suppress-health-check all \
  --report junit --report-dir test-results/schemathesis
