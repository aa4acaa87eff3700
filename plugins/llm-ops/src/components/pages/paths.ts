/** The LLM Ops pages' paths, for links between them. */
export const LLM_OPS_BASE_PATH = '/llm-ops';

/** The training jobs list. */
export const TRAINING_JOBS_PATH = `${LLM_OPS_BASE_PATH}/training-jobs`;

/** A training job's detail page; `:id` is the job id. */
export const TRAINING_JOB_PATH = `${TRAINING_JOBS_PATH}/:id`;

/** The deployments list. */
export const DEPLOYMENTS_PATH = `${LLM_OPS_BASE_PATH}/deployments`;

/** The integrations health page. */
export const INTEGRATIONS_PATH = `${LLM_OPS_BASE_PATH}/integrations`;

/** The path of one training job's detail page. */
export function trainingJobPath(id: string): string {
  return TRAINING_JOB_PATH.replace(':id', encodeURIComponent(id));
}
