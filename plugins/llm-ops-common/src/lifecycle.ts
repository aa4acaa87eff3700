/**
 * The signals channel on which the backend announces every status change
 * of a training job or deployment, so that pages refresh without a reload.
 *
 * @public
 */
export const SUBJECTS_SIGNAL_CHANNEL = 'llm-ops:subjects';

/** A message on {@link SUBJECTS_SIGNAL_CHANNEL}. @public */
export interface SubjectSignal {
  kind: 'training-job' | 'deployment';
  id: string;
  /** The status it moved to. */
  status: string;
  at: string;
}

/**
 * The events service topics on which the backend publishes what its
 * lifecycle tracker records, for other plugins to react to: each status
 * change of a job or deployment (`SubjectTransition`), and the model
 * versions a job registered.
 *
 * @public
 */
export const LLM_OPS_EVENT_TOPICS = {
  trainingJobStatusChanged: 'llm-ops.training-job.status-changed',
  trainingJobOutputRecorded: 'llm-ops.training-job.output-recorded',
  deploymentStatusChanged: 'llm-ops.deployment.status-changed',
} as const;
