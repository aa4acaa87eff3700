import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StatusError,
  StatusOK,
  StatusPending,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { isDeploymentEntity } from '@llmops/plugin-llm-ops-common';
import { StaleBanner } from '../common/StaleBanner';
import { formatDate } from '../pages/formatDate';
import { useLiveDeployment } from './useLiveDeployment';

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

function ConditionStatus({ status }: { status: string }) {
  if (status === 'True') return <StatusOK>True</StatusOK>;
  if (status === 'False') return <StatusError>False</StatusError>;
  return <StatusPending>{status}</StatusPending>;
}

const columns: TableColumn<Condition>[] = [
  { title: 'Type', field: 'type', highlight: true },
  { title: 'Status', render: row => <ConditionStatus status={row.status} /> },
  { title: 'Reason', render: row => row.reason ?? '—' },
  { title: 'Message', render: row => row.message ?? '—' },
  {
    title: 'Last transition',
    render: row => formatDate(row.lastTransitionTime),
  },
];

function ReadyChip({ ready }: { ready?: boolean }) {
  if (ready === undefined)
    return <Chip size="small" label="Readiness unknown" />;
  return (
    <Chip
      size="small"
      color={ready ? 'primary' : 'secondary'}
      label={ready ? 'Ready' : 'Not ready'}
    />
  );
}

/**
 * A Deployment entity's readiness and status conditions: live from the
 * serving tool when the portal can read them, else from the catalog.
 *
 * @public
 */
export function DeploymentConditionsCard() {
  const { entity } = useEntity();
  const live = useLiveDeployment(entity.metadata.name);
  if (!isDeploymentEntity(entity)) return null;
  if (live.loading) {
    return (
      <InfoCard title="Conditions">
        <Progress />
      </InfoCard>
    );
  }
  const status = live.value?.status;
  const conditions: Condition[] = status
    ? status.conditions
    : entity.spec.status?.conditions ?? [];
  const ready = status ? status.ready : entity.spec.status?.ready;
  return (
    <InfoCard title="Conditions">
      {live.error && <ResponseErrorPanel error={live.error} />}
      <StaleBanner reads={[status]} />
      <Box display="flex" alignItems="center" mb={1} style={{ gap: 8 }}>
        <ReadyChip ready={ready} />
        <Typography variant="caption" color="textSecondary">
          {status ? 'Live from the serving tool' : 'From the catalog'}
        </Typography>
      </Box>
      <Table<Condition>
        options={{
          paging: false,
          search: false,
          sorting: false,
          toolbar: false,
          padding: 'dense',
        }}
        columns={columns}
        data={conditions}
        emptyContent={
          <Box p={2}>
            <Typography>No conditions reported.</Typography>
          </Box>
        }
      />
    </InfoCard>
  );
}
