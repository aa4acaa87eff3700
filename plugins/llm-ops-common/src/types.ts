/**
 * The tools the portal integrates with, one adapter each.
 *
 * @public
 */
export const LLM_OPS_TOOLS = [
  'mlflow',
  'argo',
  'kserve',
  'rayserve',
  'huggingface',
  'dvc',
] as const;

/** @public */
export type ToolId = (typeof LLM_OPS_TOOLS)[number];

/**
 * The tool categories; each has one adapter interface in `-node`.
 *
 * @public
 */
export type ToolCategory =
  | 'experiment-tracking'
  | 'orchestration'
  | 'serving'
  | 'model-hub'
  | 'data-versioning';

/**
 * The category of each built-in tool.
 *
 * @public
 */
export const TOOL_CATEGORIES: Record<ToolId, ToolCategory> = {
  mlflow: 'experiment-tracking',
  argo: 'orchestration',
  kserve: 'serving',
  rayserve: 'serving',
  huggingface: 'model-hub',
  dvc: 'data-versioning',
};

/**
 * The health of one integration, as `GET /llm-ops/v1/health` reports it.
 *
 * @public
 */
export interface IntegrationHealth {
  /** The tool id, such as `mlflow`. */
  tool: string;
  category: ToolCategory;
  /** Whether app-config holds a usable configuration for the tool. */
  configured: boolean;
  /** Whether `llmOps.integrations.<tool>.enabled` is on (default true). */
  enabled: boolean;
  /** Whether the tool answered its health call just now. */
  reachable: boolean;
  /** Round-trip time of the health call, when one was made. */
  latencyMs?: number;
  /** Why the tool is unconfigured or unreachable. */
  lastError?: string;
  /** ISO timestamp of the check. */
  checkedAt: string;
  /** The portal's circuit breaker for the tool's calls. */
  circuit?: 'closed' | 'open' | 'half-open';
}

/**
 * Every `/llm-ops/v1` response has this form.
 *
 * @public
 */
export interface ApiEnvelope<T> {
  status: 'success' | 'error';
  message: string;
  data: T;
}
