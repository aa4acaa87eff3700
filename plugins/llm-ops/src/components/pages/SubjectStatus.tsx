import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import type { Deployment, TrainingJob } from '@llmops/plugin-llm-ops-common';

/** The statuses of training jobs, for filters. */
export const TRAINING_JOB_STATUSES = [
  'queued',
  'submitted',
  'running',
  'succeeded',
  'failed',
  'cancelling',
  'cancelled',
  'non_compliant',
];

/** The statuses of deployments, for filters. */
export const DEPLOYMENT_STATUSES = [
  'queued',
  'applying',
  'progressing',
  'ready',
  'degraded',
  'failed',
  'non_compliant',
];

/** `mlflow: connection refused` → `waiting for mlflow: connection refused`. */
export function queuedReason(lastError?: string | null): string | undefined {
  return lastError ? `waiting for ${lastError}` : undefined;
}

export function StatusLabel({ status }: { status: string }) {
  const label = status.replace(/_/g, '-');
  switch (status) {
    case 'succeeded':
    case 'ready':
      return <StatusOK>{label}</StatusOK>;
    case 'running':
    case 'applying':
    case 'progressing':
    case 'cancelling':
      return <StatusRunning>{label}</StatusRunning>;
    case 'degraded':
      return <StatusWarning>{label}</StatusWarning>;
    case 'failed':
    case 'non_compliant':
      return <StatusError>{label}</StatusError>;
    case 'cancelled':
      return <StatusAborted>{label}</StatusAborted>;
    default:
      return <StatusPending>{label}</StatusPending>;
  }
}

/**
 * A training job's or deployment's status, with why it is queued or failed
 * and, when non-compliant, the rule codes it breaks.
 */
export function SubjectStatus(props: {
  subject: Pick<
    TrainingJob | Deployment,
    'status' | 'lastError' | 'nonCompliantRules'
  >;
}) {
  const { status, lastError, nonCompliantRules } = props.subject;
  const detail = status === 'queued' ? queuedReason(lastError) : lastError;
  return (
    <Box data-testid="llmops-subject-status">
      <StatusLabel status={status} />
      {detail && status !== 'succeeded' && status !== 'ready' && (
        <Typography variant="caption" display="block" color="textSecondary">
          {detail}
        </Typography>
      )}
      {status === 'non_compliant' &&
        (nonCompliantRules ?? []).map(rule => (
          <Chip key={rule} label={rule} size="small" variant="outlined" />
        ))}
    </Box>
  );
}
