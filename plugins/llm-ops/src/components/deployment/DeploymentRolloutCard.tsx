import { useEffect, useRef, useState } from 'react';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import LinearProgress from '@material-ui/core/LinearProgress';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  deploymentPromotePermission,
  deploymentRollbackPermission,
  isDeploymentEntity,
} from '@llmops/plugin-llm-ops-common';
import { llmOpsApiRef } from '../../api/LlmOpsApi';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { StaleBanner } from '../common/StaleBanner';
import { queuedReason, SubjectStatus } from '../pages/SubjectStatus';
import { RevisionHistory } from './RevisionHistory';
import { TrafficSplitBar } from './TrafficSplitBar';
import {
  formatSplit,
  recordSplit,
  sameSplit,
  TrafficSplit,
} from './trafficSplit';
import { LiveDeployment, useLiveDeployment } from './useLiveDeployment';

type Direction = 'promote' | 'rollback';

/** Where each action moves the traffic (see the backend's `shiftTraffic`). */
const TARGET: Record<Direction, TrafficSplit> = {
  promote: { old: 0, new: 100 },
  rollback: { old: 100, new: 0 },
};
const VERB: Record<Direction, { doing: string; done: string }> = {
  promote: { doing: 'Promoting', done: 'Promoted' },
  rollback: { doing: 'Rolling back', done: 'Rolled back' },
};
const FAILED = ['failed', 'non_compliant', 'cancelled'];
const PENDING = ['queued', 'submitted'];

interface Action {
  direction: Direction;
  phase: 'calling' | 'waiting' | 'done' | 'failed' | 'timeout' | 'error';
  error?: Error;
}

/** The split shown: live from the serving tool, else the record's, else the catalog's. */
function currentSplit(
  value: LiveDeployment | undefined,
  fallback?: TrafficSplit,
) {
  const record = value?.record;
  return (
    value?.status?.trafficSplit ?? (record && recordSplit(record)) ?? fallback
  );
}

/** Whether an action has settled: the target split is live, or the record failed. */
function outcomeOf(value: LiveDeployment, target: TrafficSplit) {
  const { record } = value;
  if (!record || FAILED.includes(record.status)) return 'failed';
  if (PENDING.includes(record.status)) return undefined;
  return sameSplit(currentSplit(value), target) ? 'done' : undefined;
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** A button that is disabled with a tooltip saying why. */
function ActionButton(props: {
  label: string;
  disabledReason?: string;
  onClick(): void;
}) {
  return (
    <Tooltip title={props.disabledReason ?? ''}>
      <span>
        <Button
          variant="outlined"
          color="primary"
          disabled={!!props.disabledReason}
          onClick={props.onClick}
        >
          {props.label}
        </Button>
      </span>
    </Tooltip>
  );
}

/** @public */
export interface DeploymentRolloutCardProps {
  /** How often to read the status after an action; 2 s by default. */
  pollIntervalMs?: number;
  /** How long to wait for the new split; 30 s by default. */
  pollTimeoutMs?: number;
}

/**
 * A Deployment entity's traffic split between its old and new revisions,
 * with Promote and Rollback. After an action it polls the live status
 * until the new split shows, the record fails, or the timeout passes.
 *
 * @public
 */
export function DeploymentRolloutCard(props: DeploymentRolloutCardProps) {
  const { pollIntervalMs = 2000, pollTimeoutMs = 30000 } = props;
  const { entity } = useEntity();
  const api = useApi(llmOpsApiRef);
  const live = useLiveDeployment(entity.metadata.name);
  const record = live.value?.record;
  const resourceRef = record ? `deployment:${record.id}` : undefined;
  const permissions: Record<Direction, ReturnType<typeof usePermission>> = {
    promote: usePermission({
      permission: deploymentPromotePermission,
      resourceRef,
    }),
    rollback: usePermission({
      permission: deploymentRollbackPermission,
      resourceRef,
    }),
  };
  const [action, setAction] = useState<Action>();
  const [asking, setAsking] = useState<Direction>();
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );

  if (!isDeploymentEntity(entity)) return null;
  if (live.loading) {
    return (
      <InfoCard title="Rollout">
        <Progress />
      </InfoCard>
    );
  }
  if (live.error && !live.value) {
    return (
      <InfoCard title="Rollout">
        <ResponseErrorPanel error={live.error} />
      </InfoCard>
    );
  }

  const catalogSplit = entity.spec.rollout?.trafficSplit;
  if (!record) {
    return (
      <InfoCard title="Rollout">
        {catalogSplit ? (
          <>
            <TrafficSplitBar split={catalogSplit} />
            <Typography variant="caption" color="textSecondary">
              Not deployed through the portal: this is the split in the catalog,
              read-only.
            </Typography>
          </>
        ) : (
          <EmptyState
            missing="info"
            title="No rollout"
            description="Not deployed through the portal, and the catalog sets no traffic split."
          />
        )}
      </InfoCard>
    );
  }

  const split = currentSplit(live.value, catalogSplit);
  const served = `${record.model_ref}${
    record.spec?.model_version ? ` version ${record.spec.model_version}` : ''
  }`;
  const backend = record.backend ?? entity.spec.backend;
  const busy = action?.phase === 'calling' || action?.phase === 'waiting';

  const run = async (direction: Direction) => {
    setAction({ direction, phase: 'calling' });
    try {
      await (direction === 'promote'
        ? api.promoteDeployment(record.id)
        : api.rollbackDeployment(record.id));
      setAction({ direction, phase: 'waiting' });
      const deadline = Date.now() + pollTimeoutMs;
      for (;;) {
        const value = await live.refresh();
        if (!mounted.current) return;
        const outcome = value && outcomeOf(value, TARGET[direction]);
        if (outcome) {
          setAction({ direction, phase: outcome });
          return;
        }
        if (Date.now() >= deadline) {
          setAction({ direction, phase: 'timeout' });
          return;
        }
        await sleep(pollIntervalMs);
      }
    } catch (error) {
      if (mounted.current)
        setAction({ direction, phase: 'error', error: error as Error });
    }
  };

  const disabledReason = (direction: Direction) => {
    const permission = permissions[direction];
    if (permission.loading) return 'Checking your permissions…';
    if (!permission.allowed)
      return `You are not allowed to ${direction} this deployment`;
    if (busy) return 'A rollout change is in progress';
    if (sameSplit(split, TARGET[direction])) {
      return `The ${
        direction === 'promote' ? 'new' : 'old'
      } revision already has all the traffic`;
    }
    return undefined;
  };

  return (
    <InfoCard title="Rollout">
      <StaleBanner reads={[live.value?.status]} />
      {live.error && <ResponseErrorPanel error={live.error} />}
      {live.value?.statusError && (
        <ResponseErrorPanel
          title="Could not read the live status"
          error={live.value.statusError}
        />
      )}
      <Box mb={2}>
        <Typography variant="body2" color="textSecondary">
          {entity.spec.rollout?.strategy ?? 'rollout'} on {backend}
          {`, revision ${record.revision}`}
        </Typography>
        <SubjectStatus subject={record} />
      </Box>
      {split ? (
        <TrafficSplitBar split={split} />
      ) : (
        <Typography>No traffic split reported.</Typography>
      )}
      <Box mt={2} display="flex" style={{ gap: 8 }}>
        <ActionButton
          label="Promote"
          disabledReason={disabledReason('promote')}
          onClick={() => setAsking('promote')}
        />
        <ActionButton
          label="Rollback"
          disabledReason={disabledReason('rollback')}
          onClick={() => setAsking('rollback')}
        />
      </Box>
      <RevisionHistory record={record} />
      <ConfirmDialog
        request={
          asking && {
            title: `${asking === 'promote' ? 'Promote' : 'Roll back'} ${
              record.name
            } in ${record.environment}?`,
            text: (
              <>
                {asking === 'promote'
                  ? `All traffic moves to the new revision, which serves ${served}.`
                  : `All traffic moves back to the old revision; the new one (${served}) gets none.`}{' '}
                Now: {split ? formatSplit(split) : 'no split reported'}; then:{' '}
                {formatSplit(TARGET[asking])}. {backend} applies it as revision{' '}
                {record.revision + 1}.
              </>
            ),
            confirm: asking === 'promote' ? 'Promote' : 'Roll back',
          }
        }
        onConfirm={() => asking && run(asking)}
        onClose={() => setAsking(undefined)}
      />
      {action && (
        <Box mt={2}>
          <ActionProgress
            action={action}
            backend={backend}
            queued={record.status === 'queued'}
            reason={
              record.status === 'queued'
                ? queuedReason(record.lastError)
                : record.lastError ?? undefined
            }
            split={split}
          />
        </Box>
      )}
    </InfoCard>
  );
}

/** What the last action is doing, or how it ended. */
function ActionProgress(props: {
  action: Action;
  backend: string;
  queued: boolean;
  reason?: string;
  split?: TrafficSplit;
}) {
  const { action, backend, queued, reason, split } = props;
  const verb = VERB[action.direction];
  switch (action.phase) {
    case 'calling':
      return (
        <>
          <LinearProgress />
          <Typography variant="body2">{verb.doing}…</Typography>
        </>
      );
    case 'waiting':
      return (
        <>
          <LinearProgress />
          <Typography variant="body2">
            {queued
              ? `Queued: waiting for the serving tool (${backend}) to apply the new split; the portal retries until it answers.`
              : `Waiting for ${backend} to report the new split…`}
          </Typography>
          {queued && reason && (
            <Typography variant="caption" color="textSecondary">
              {reason}
            </Typography>
          )}
        </>
      );
    case 'done':
      return (
        <Alert severity="success">
          {verb.done}: {split ? formatSplit(split) : 'the new split is live'}
        </Alert>
      );
    case 'failed':
      return (
        <Alert severity="error">
          {verb.doing} failed{reason ? `: ${reason}` : ''}
        </Alert>
      );
    case 'timeout':
      return (
        <Alert severity="warning">
          {backend} has not reported the new split yet; the portal keeps
          retrying. Check back later.
        </Alert>
      );
    default:
      return (
        <Alert severity="error">
          {verb.doing} failed: {action.error?.message}
        </Alert>
      );
  }
}
