import {
  Content,
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Breadcrumbs from '@material-ui/core/Breadcrumbs';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Timeline from '@material-ui/lab/Timeline';
import TimelineConnector from '@material-ui/lab/TimelineConnector';
import TimelineContent from '@material-ui/lab/TimelineContent';
import TimelineDot from '@material-ui/lab/TimelineDot';
import TimelineItem from '@material-ui/lab/TimelineItem';
import TimelineOppositeContent from '@material-ui/lab/TimelineOppositeContent';
import TimelineSeparator from '@material-ui/lab/TimelineSeparator';
import type {
  ToolObject,
  TrainingJobDetail,
} from '@llmops/plugin-llm-ops-common';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { useParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { llmOpsApiRef } from '../../api/LlmOpsApi';
import { trainingJobsRouteRef } from '../../routes';
import { ToolUiFrame } from '../common/ToolUiFrame';
import { useSubjectSignal } from '../common/useSubjectSignal';
import { formatDate } from './formatDate';
import { JobControls } from './JobControls';
import { SubjectStatus } from './SubjectStatus';

type Job = TrainingJobDetail;
type Delivery = Job['deliveries'][number];

const deliveryColumns: TableColumn<Delivery>[] = [
  { title: 'Tool', field: 'tool' },
  { title: 'Operation', field: 'operation' },
  { title: 'State', field: 'state' },
  { title: 'Attempts', field: 'attempts' },
  { title: 'Next attempt', render: row => formatDate(row.nextAttemptAt) },
  { title: 'Last error', render: row => row.lastError ?? '—' },
];

function History({ history }: { history: Job['history'] }) {
  if (history.length === 0)
    return <Typography>No status changes yet.</Typography>;
  return (
    <Timeline align="left">
      {history.map((entry, i) => (
        <TimelineItem key={`${entry.at}-${i}`}>
          <TimelineOppositeContent>
            <Typography variant="caption" color="textSecondary">
              {formatDate(entry.at)}
            </Typography>
          </TimelineOppositeContent>
          <TimelineSeparator>
            <TimelineDot
              color={i === history.length - 1 ? 'primary' : 'grey'}
            />
            {i < history.length - 1 && <TimelineConnector />}
          </TimelineSeparator>
          <TimelineContent>
            <Typography>{entry.status}</Typography>
            {entry.reason && (
              <Typography variant="caption" color="textSecondary">
                {entry.reason}
              </Typography>
            )}
          </TimelineContent>
        </TimelineItem>
      ))}
    </Timeline>
  );
}

/** The live state of the job's workflow, as the orchestrator reports it. */
function WorkflowStatusCard({ job }: { job: Job }) {
  const { workflowStatus: status, workflowStatusError } = job;
  return (
    <InfoCard title="Workflow">
      {workflowStatusError && (
        <Typography color="error" paragraph>
          Could not read the workflow's state: {workflowStatusError}
        </Typography>
      )}
      {status ? (
        <StructuredMetadataTable
          metadata={{
            Phase: status.phase,
            ...(status.message ? { Message: status.message } : {}),
            Started: formatDate(status.startedAt),
            Finished: formatDate(status.finishedAt),
            ...(status.nodes?.length
              ? { Steps: status.nodes.map(n => `${n.name}: ${n.phase}`) }
              : {}),
          }}
        />
      ) : (
        !workflowStatusError && (
          <Typography>The workflow has not been submitted yet.</Typography>
        )
      )}
    </InfoCard>
  );
}

/** `5400` → `1 h 30 min`. */
export function formatDuration(seconds?: number): string {
  if (seconds === undefined) return '—';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return `${m} min ${s % 60} s`;
  return `${s} s`;
}

/**
 * What the portal followed of the job, from its workflow: where it is and
 * why, its timings, its GPU-hours, the step that failed, and what it made.
 */
function LifecycleCard({ job }: { job: Job }) {
  const { tracking } = job;
  if (!tracking) return null;
  const failed = tracking.failedStep;
  return (
    <InfoCard title="Lifecycle">
      <StructuredMetadataTable
        metadata={{
          'Workflow phase': tracking.phase,
          ...(tracking.reason ? { Why: tracking.reason } : {}),
          Started: formatDate(tracking.startedAt),
          Finished: formatDate(tracking.finishedAt),
          Duration: formatDuration(tracking.durationSeconds),
          'GPU-hours':
            tracking.gpuHours === undefined
              ? '—'
              : tracking.gpuHours.toLocaleString('en-US', {
                  maximumFractionDigits: 2,
                }),
          ...(failed
            ? {
                'Failed step': `${failed.name}${
                  failed.exitCode !== undefined
                    ? ` (exit code ${failed.exitCode})`
                    : ''
                }${failed.message ? `: ${failed.message}` : ''}`,
              }
            : {}),
          ...(tracking.runStatus ? { 'MLflow run': tracking.runStatus } : {}),
          'Output model': tracking.outputModelVersions?.length
            ? tracking.outputModelVersions.map(
                v => `${v.name} version ${v.version}`,
              )
            : '—',
          // The catalog's TrainingJob entity: dataset -> job -> model graph.
          Lineage: (
            <EntityRefLink
              entityRef={{
                kind: 'TrainingJob',
                namespace: 'default',
                name: job.id,
              }}
              title="In the catalog graph"
            />
          ),
          Checked: formatDate(tracking.checkedAt),
        }}
      />
    </InfoCard>
  );
}

/** The objects the tools made for the job: its workflow and its tracked run. */
function toolObjects(job: Job): Array<{ label: string; object: ToolObject }> {
  return [
    job.workflow && { label: 'Workflow', object: job.workflow },
    job.run && { label: 'Run', object: job.run },
  ].filter((o): o is { label: string; object: ToolObject } => !!o);
}

/**
 * The tools' own pages of a delivered job, at the `uiPath` the API gives;
 * an object without one is only linked to, by its `url`.
 */
function toolPages(job: Job) {
  return toolObjects(job).flatMap(({ label, object }) =>
    object.uiPath
      ? [
          {
            tool: object.tool,
            path: object.uiPath,
            url: object.url,
            title: `${label} ${object.id} (${object.tool})`,
          },
        ]
      : [],
  );
}

function Links({ job }: { job: Job }) {
  const links = toolObjects(job).filter(({ object }) => object.url);
  if (links.length === 0) return <Typography>No tool links yet.</Typography>;
  return (
    <>
      {links.map(({ label, object }) => (
        <Typography key={object.url}>
          <Link to={object.url!}>{object.url}</Link> ({label.toLowerCase()} in{' '}
          {object.tool})
        </Typography>
      ))}
    </>
  );
}

function JobDetail({ job, onChanged }: { job: Job; onChanged(): void }) {
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={6}>
        <InfoCard title="Status">
          <SubjectStatus subject={job} />
          <StructuredMetadataTable
            metadata={{
              Output: job.spec.output?.artifact_name ?? '—',
              'Job type': job.job_type,
              'Model family': job.model_family,
              Owner: <EntityRefLink entityRef={job.owner} defaultKind="user" />,
              Created: formatDate(job.createdAt),
              Updated: formatDate(job.updatedAt),
            }}
          />
          <JobControls job={job} onChanged={onChanged} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="Status history">
          <History history={job.history} />
        </InfoCard>
      </Grid>
      {job.tracking && (
        <Grid item xs={12}>
          <LifecycleCard job={job} />
        </Grid>
      )}
      {(job.workflow || job.workflowStatusError) && (
        <Grid item xs={12}>
          <WorkflowStatusCard job={job} />
        </Grid>
      )}
      <Grid item xs={12}>
        <InfoCard title="Spec">
          <StructuredMetadataTable metadata={job.spec} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <Table<Delivery>
          title="Deliveries"
          options={{ paging: false, search: false, padding: 'dense' }}
          columns={deliveryColumns}
          data={job.deliveries}
          emptyContent={
            <Typography style={{ padding: 16 }}>No deliveries.</Typography>
          }
        />
      </Grid>
      {toolPages(job).map(page => (
        <Grid item xs={12} key={page.tool}>
          <ToolUiFrame {...page} />
        </Grid>
      ))}
      <Grid item xs={12}>
        <InfoCard title="Links">
          <Links job={job} />
        </InfoCard>
      </Grid>
    </Grid>
  );
}

/**
 * One training job: status, spec, status history, deliveries to the tools
 * and links to them. The id comes from the `:id` route param unless given.
 */
export function TrainingJobDetailContent(props: { id?: string }) {
  const params = useParams();
  const id = props.id ?? params.id;
  const api = useApi(llmOpsApiRef);
  const jobsLink = useRouteRef(trainingJobsRouteRef);
  const { value, loading, error, retry } = useAsyncRetry(
    async () => (id ? api.getTrainingJob(id) : undefined),
    [api, id],
  );
  // the job changed state: show it without a reload (the old state meanwhile)
  useSubjectSignal('training-job', retry, id);
  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) {
    return (
      <EmptyState
        missing="data"
        title="No training job"
        description={<Link to={jobsLink()}>Back to the training jobs</Link>}
      />
    );
  }
  return <JobDetail job={value} onChanged={retry} />;
}

/** A training job's page, with its header. */
export function TrainingJobDetailPage(props: { id?: string }) {
  const params = useParams();
  const id = props.id ?? params.id ?? '';
  const jobsLink = useRouteRef(trainingJobsRouteRef);
  return (
    <Content>
      <Box mb={2}>
        <Breadcrumbs aria-label="breadcrumb">
          <Link to={jobsLink()}>Training jobs</Link>
          <Typography color="textPrimary">{id}</Typography>
        </Breadcrumbs>
      </Box>
      <TrainingJobDetailContent id={id || undefined} />
    </Content>
  );
}
