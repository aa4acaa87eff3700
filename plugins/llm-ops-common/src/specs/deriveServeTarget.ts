import type { JobType, ServeTarget } from './constants';

/**
 * The serve targets a model of each job type may use; the first is the one
 * derived when a DeploymentSpec has no `serve_target`.
 *
 * EMBEDDING models are not constrained by the rules: they derive GENERATION,
 * because the generation image (vLLM) also serves embedding models through
 * its OpenAI-compatible `/v1/embeddings` endpoint, and may explicitly choose
 * RAG, where they act as the retriever of a RAG pipeline.
 */
export const SERVE_TARGETS_FOR_JOB: Record<JobType, readonly ServeTarget[]> = {
  PRETRAIN: ['GENERATION'],
  SFT: ['GENERATION'],
  RLHF: ['GENERATION'],
  RAG_TUNING: ['RAG'],
  EMBEDDING: ['GENERATION', 'RAG'],
};

/**
 * The serve target of a model trained by a job of the given type, used when
 * a DeploymentSpec leaves `serve_target` out: RAG_TUNING gives RAG; SFT,
 * RLHF and PRETRAIN give GENERATION. EMBEDDING gives GENERATION too (the
 * vLLM generation image serves embeddings on `/v1/embeddings`), though an
 * EMBEDDING deployment may also choose RAG explicitly.
 *
 * @public
 */
export function deriveServeTarget(jobType: JobType): ServeTarget {
  return SERVE_TARGETS_FOR_JOB[jobType][0];
}
