const NAMES: Record<string, string> = {
  mlflow: 'MLflow',
  argo: 'Argo Workflows',
  kserve: 'KServe',
  rayserve: 'Ray Serve',
  huggingface: 'the Hugging Face Hub',
  dvc: 'DVC',
};

/** A tool's name for people: `mlflow` → `MLflow`. */
export function toolName(tool: string | undefined): string {
  if (!tool) return 'a tool';
  return NAMES[tool] ?? tool;
}

const REASONS: Record<string, string> = {
  timeout: 'it did not answer in time',
  'circuit-open': 'paused after repeated failures',
  network: 'network error',
  error: 'it failed',
  unauthorized: 'the portal’s credentials were refused',
  'not-configured': 'not configured',
};

/** Why a tool is unavailable, in words, keeping the code: `timeout` → `it did not answer in time: timeout`. */
export function describeReason(reason: string): string {
  const words =
    REASONS[reason] ??
    (reason.startsWith('http-') ? `it answered ${reason.slice(5)}` : undefined);
  return words ? `${words}; code ${reason}` : reason;
}
