import {
  Content,
  EmptyState,
  Header,
  InfoCard,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
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
  SubjectDetail,
  TrainingJobView,
} from '@llmops/plugin-llm-ops-common';
import { useParams } from 'react-router-dom';
import { ToolUiFrame } from '../common/ToolUiFrame';
import useAsync from 'react-use/esm/useAsync';
import { llmOpsApiRef } from '../../api/LlmOpsApi';
import { formatDate } from './formatDate';
import { TRAINING_JOBS_PATH } from './paths';
import { SubjectStatus } from './SubjectStatus';

type Job = SubjectDetail<TrainingJobView>;
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

function JobDetail({ job }: { job: Job }) {
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={6}>
        <InfoCard title="Status">
          <SubjectStatus subject={job} />
          <StructuredMetadataTable
            metadata={{
              'Job type': job.job_type,
              'Model family': job.model_family,
              Owner: job.owner,
              Created: formatDate(job.createdAt),
              Updated: formatDate(job.updatedAt),
            }}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="Status history">
          <History history={job.history} />
        </InfoCard>
      </Grid>
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
          {job.links.length === 0 ? (
            <Typography>No tool links yet.</Typography>
          ) : (
            job.links.map(url => (
              <Typography key={url}>
                <Link to={url}>{url}</Link>
              </Typography>
            ))
          )}
        </InfoCard>
      </Grid>
    </Grid>
  );
}

/** The tools' own pages of a delivered job: its Argo workflow and MLflow run. */
function toolPages(job: Job) {
  const workflow = job.toolState['submit-workflow'];
  const run = job.toolState['create-run'];
  const pages: Array<{ tool: string; path: string; title: string }> = [];
  if (workflow?.id) {
    pages.push({
      tool: 'argo',
      path: `workflows/${workflow.namespace ?? ''}/${workflow.id}`,
      title: `Argo workflow ${workflow.id}`,
    });
  }
  if (run?.id && run.experimentId) {
    pages.push({
      tool: 'mlflow',
      path: `#/experiments/${run.experimentId}/runs/${run.id}`,
      title: `MLflow run ${run.id}`,
    });
  }
  return pages;
}

/**
 * One training job: status, spec, status history, deliveries to the tools
 * and links to them. The id comes from the `:id` route param unless given.
 */
export function TrainingJobDetailContent(props: { id?: string }) {
  const params = useParams();
  const id = props.id ?? params.id;
  const api = useApi(llmOpsApiRef);
  const { value, loading, error } = useAsync(
    async () => (id ? api.getTrainingJob(id) : undefined),
    [api, id],
  );
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) {
    return (
      <EmptyState
        missing="data"
        title="No training job"
        description={
          <Link to={TRAINING_JOBS_PATH}>Back to the training jobs</Link>
        }
      />
    );
  }
  return <JobDetail job={value} />;
}

/** A training job's page, with its header. */
export function TrainingJobDetailPage(props: { id?: string }) {
  const params = useParams();
  const id = props.id ?? params.id ?? '';
  return (
    <Page themeId="tool">
      <Header
        title={`Training job ${id}`}
        type="Training jobs"
        typeLink={TRAINING_JOBS_PATH}
      />
      <Content>
        <TrainingJobDetailContent id={id || undefined} />
      </Content>
    </Page>
  );
}
