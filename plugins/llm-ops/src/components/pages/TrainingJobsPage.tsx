import { Content, Link, TableColumn } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { JOB_TYPES, TrainingJob } from '@llmops/plugin-llm-ops-common';
import { llmOpsApiRef, TrainingJobFilter } from '../../api/LlmOpsApi';
import { trainingJobRouteRef } from '../../routes';
import { CursorListTable } from './CursorListTable';
import { FilterBar, FilterField } from './FilterBar';
import { useUrlFilters } from './useUrlFilters';
import { formatDate } from './formatDate';
import { TRAINING_JOB_STATUSES, SubjectStatus } from './SubjectStatus';
import { useCursorList } from './useCursorList';
import { useSubjectSignal } from '../common/useSubjectSignal';
import { ToolsOffPanel } from '../common/ToolsOffPanel';

const filters: FilterField[] = [
  { key: 'status', label: 'Status', options: TRAINING_JOB_STATUSES },
  { key: 'job_type', label: 'Job type', options: JOB_TYPES },
  { key: 'model_family', label: 'Model family' },
  { key: 'owner', label: 'Owner' },
];

/** A link to a training job's page, by the model it makes; its id below. */
function TrainingJobLink(props: { job: TrainingJob }) {
  const jobLink = useRouteRef(trainingJobRouteRef);
  const { id, spec } = props.job;
  return (
    <>
      <Link to={jobLink({ id })}>{spec.output?.artifact_name ?? id}</Link>
      <Typography variant="caption" color="textSecondary" display="block">
        {id}
      </Typography>
    </>
  );
}

const columns: TableColumn<TrainingJob>[] = [
  {
    title: 'Job',
    field: 'id',
    render: row => <TrainingJobLink job={row} />,
  },
  { title: 'Job type', field: 'job_type' },
  { title: 'Model family', field: 'model_family' },
  {
    title: 'Owner',
    field: 'owner',
    render: row =>
      row.owner.startsWith('service:') ? (
        row.owner
      ) : (
        <EntityRefLink entityRef={row.owner} defaultKind="user" />
      ),
  },
  {
    title: 'Status',
    field: 'status',
    render: row => <SubjectStatus subject={row} />,
  },
  {
    title: 'Created',
    field: 'createdAt',
    render: row => formatDate(row.createdAt),
  },
  {
    title: 'Updated',
    field: 'updatedAt',
    render: row => formatDate(row.updatedAt),
  },
];

/** The training jobs, filtered by status, job type, model family and owner. */
export function TrainingJobsContent() {
  const api = useApi(llmOpsApiRef);
  const [values, setValues] = useUrlFilters(filters.map(f => f.key));
  const list = useCursorList(
    filter => api.listTrainingJobs(filter as TrainingJobFilter),
    values,
  );
  // a job changed state: the list shows it without a reload
  useSubjectSignal('training-job', list.refresh);
  return (
    <>
      <Box mb={2}>
        <FilterBar fields={filters} values={values} onChange={setValues} />
      </Box>
      <CursorListTable
        title="Training jobs"
        columns={columns}
        list={list}
        emptyMessage="No training jobs match these filters."
      />
    </>
  );
}

/** The training jobs page, with its header. */
export function TrainingJobsPage() {
  return (
    <Content>
      <ToolsOffPanel category="orchestration" what="Training" />
      <TrainingJobsContent />
    </Content>
  );
}
