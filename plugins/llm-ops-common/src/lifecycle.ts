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
