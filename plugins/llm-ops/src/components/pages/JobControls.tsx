import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import Alert from '@material-ui/lab/Alert';
import {
  trainingJobCancelPermission,
  trainingJobRetryPermission,
  type TrainingJobDetail,
} from '@llmops/plugin-llm-ops-common';
import { llmOpsApiRef } from '../../api/LlmOpsApi';
import { ConfirmDialog } from '../common/ConfirmDialog';

/** The states a job can no longer be cancelled from. */
const ENDED = ['cancelled', 'cancelling', 'succeeded', 'failed'];

type Control = 'cancel' | 'retry';

/** Why a control is off, or undefined when it can be used. */
function disabledReason(
  job: TrainingJobDetail,
  control: Control,
  permission: { loading: boolean; allowed: boolean },
) {
  if (permission.loading) return 'Checking your permissions…';
  if (!permission.allowed) return `You are not allowed to ${control} this job`;
  if (control === 'cancel' && ENDED.includes(job.status)) {
    return `The job is ${job.status}`;
  }
  if (
    control === 'retry' &&
    !job.deliveries.some(delivery => delivery.state === 'failed')
  ) {
    return 'No delivery of this job failed: there is nothing to retry';
  }
  return undefined;
}

/** What the confirmation of a control says. */
function confirmation(control: Control, job: TrainingJobDetail, name: string) {
  if (control === 'retry') {
    return {
      title: `Retry training job ${name}?`,
      text: 'The deliveries the retry queue gave up on are queued again, in their order, and tried now.',
      confirm: 'Retry delivery',
    };
  }
  return {
    title: `Cancel training job ${name}?`,
    text:
      job.status === 'queued'
        ? 'It has not reached the orchestrator yet: it is dropped from the retry queue and never runs.'
        : 'The portal stops its workflow in the orchestrator and marks its MLflow run KILLED; the GPU time spent so far is kept in its record.',
    confirm: 'Cancel job',
  };
}

/**
 * Cancel and Retry for a training job, each behind its permission (a
 * policy may let only owners use them) and a confirmation.
 */
export function JobControls(props: {
  job: TrainingJobDetail;
  onChanged(): void;
}) {
  const { job, onChanged } = props;
  const api = useApi(llmOpsApiRef);
  const resourceRef = `training-job:${job.id}`;
  const permissions: Record<Control, { loading: boolean; allowed: boolean }> = {
    cancel: usePermission({
      permission: trainingJobCancelPermission,
      resourceRef,
    }),
    retry: usePermission({
      permission: trainingJobRetryPermission,
      resourceRef,
    }),
  };
  const [asking, setAsking] = useState<Control>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ control: Control; error: Error }>();
  const name = job.spec.output?.artifact_name ?? job.id;

  const run = async (control: Control) => {
    setBusy(true);
    setFailure(undefined);
    try {
      await (control === 'cancel'
        ? api.cancelTrainingJob(job.id)
        : api.retryTrainingJob(job.id));
      onChanged();
    } catch (e) {
      setFailure({ control, error: e as Error });
    } finally {
      setBusy(false);
    }
  };

  const button = (control: Control, label: string) => {
    const reason = busy ? 'A change is in progress' : undefined;
    const why = reason ?? disabledReason(job, control, permissions[control]);
    return (
      <Tooltip title={why ?? ''}>
        <span>
          <Button
            variant="outlined"
            color={control === 'cancel' ? 'secondary' : 'primary'}
            disabled={!!why}
            onClick={() => setAsking(control)}
          >
            {label}
          </Button>
        </span>
      </Tooltip>
    );
  };

  return (
    <Box mt={2}>
      <Box display="flex" style={{ gap: 8 }}>
        {button('cancel', 'Cancel job')}
        {button('retry', 'Retry delivery')}
      </Box>
      {failure && (
        <Box mt={1}>
          <Alert severity="error">
            Could not {failure.control} the job: {failure.error.message}
          </Alert>
        </Box>
      )}
      <ConfirmDialog
        request={asking && confirmation(asking, job, name)}
        onConfirm={() => asking && run(asking)}
        onClose={() => setAsking(undefined)}
      />
    </Box>
  );
}
