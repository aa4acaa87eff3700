import { Content, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { Deployment } from '@llmops/plugin-llm-ops-common';
import { DeploymentFilter, llmOpsApiRef } from '../../api/LlmOpsApi';
import { formatSplit, recordSplit } from '../deployment/trafficSplit';
import { CursorListTable } from './CursorListTable';
import { FilterBar, FilterField } from './FilterBar';
import { useUrlFilters } from './useUrlFilters';
import { formatDate } from './formatDate';
import { DEPLOYMENT_STATUSES, SubjectStatus } from './SubjectStatus';
import { useCursorList } from './useCursorList';
import { useSubjectSignal } from '../common/useSubjectSignal';
import { ToolsOffPanel } from '../common/ToolsOffPanel';

const filters: FilterField[] = [
  { key: 'environment', label: 'Environment', options: ['dev', 'stg', 'prod'] },
  { key: 'status', label: 'Status', options: DEPLOYMENT_STATUSES },
  { key: 'model_ref', label: 'Model ref (exact)' },
];

const columns: TableColumn<Deployment>[] = [
  {
    title: 'Name',
    field: 'name',
    highlight: true,
    // the Deployment entity of the same name (the serving provider's or GitOps')
    render: row => (
      <EntityRefLink
        entityRef={{ kind: 'Deployment', namespace: 'default', name: row.name }}
        defaultKind="deployment"
      />
    ),
  },
  { title: 'Environment', field: 'environment' },
  {
    title: 'Model',
    field: 'model_ref',
    render: row => (
      <EntityRefLink entityRef={row.model_ref} defaultKind="model" />
    ),
  },
  {
    title: 'Status',
    field: 'status',
    render: row => <SubjectStatus subject={row} />,
  },
  {
    title: 'Split',
    render: row => {
      const split = recordSplit(row);
      return split ? formatSplit(split) : '—';
    },
  },
  {
    title: 'Updated',
    field: 'updatedAt',
    render: row => formatDate(row.updatedAt),
  },
];

/** The deployments, filtered by environment, status and model. */
export function DeploymentsContent() {
  const api = useApi(llmOpsApiRef);
  const [values, setValues] = useUrlFilters(filters.map(f => f.key));
  const list = useCursorList(
    filter => api.listDeployments(filter as DeploymentFilter),
    values,
  );
  useSubjectSignal('deployment', list.refresh);
  return (
    <>
      <Box mb={2}>
        <FilterBar fields={filters} values={values} onChange={setValues} />
      </Box>
      <CursorListTable
        title="Rollouts"
        columns={columns}
        list={list}
        emptyMessage="No deployments match these filters."
      />
    </>
  );
}

/** The deployments page, with its header. */
export function DeploymentsPage() {
  return (
    <Content>
      <ToolsOffPanel category="serving" what="Serving" />
      <DeploymentsContent />
    </Content>
  );
}
