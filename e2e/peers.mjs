// The demo stack scripts/with-demo.sh started (scripts/demo/start.ts).
import { readFileSync } from 'node:fs';

/** MLflow's address and process group, the Kubernetes API's address and token, the seeded run ids. */
export function readPeers() {
  const file = process.env.LLMOPS_E2E_PEERS;
  if (!file) {
    throw new Error(
      'LLMOPS_E2E_PEERS is not set: run the browser tests through scripts/with-demo.sh',
    );
  }
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Calls the portal's API with the test-only static token (app-config.test.yaml). */
export async function callApi(portalUrl, method, apiPath, body) {
  const response = await fetch(`${portalUrl}/api/llm-ops/v1${apiPath}`, {
    method,
    headers: {
      authorization: 'Bearer llmops-contract-test-token',
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: await response.json() };
}
