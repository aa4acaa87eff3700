import type {
  DeploymentDetail,
  Envelope,
  TrainingJobDetail,
} from './schema/openapi';

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
 * Every `/llm-ops/v1` response has this form (the generated `Envelope`,
 * with its `data` typed).
 *
 * @public
 */
export type ApiEnvelope<T> = Omit<Envelope, 'data'> & { data: T };

/** The detail of a training job or deployment. @public */
export type SubjectDetail = TrainingJobDetail | DeploymentDetail;
