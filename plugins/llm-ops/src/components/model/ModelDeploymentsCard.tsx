import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  EntityRefLink,
  useEntity,
  useRelatedEntities,
} from '@backstage/plugin-catalog-react';
import {
  Deployment,
  isDeploymentEntity,
  RELATION_SERVED_BY,
} from '@llmops/plugin-llm-ops-common';
import useAsync from 'react-use/esm/useAsync';
import { llmOpsApiRef } from '../../api/LlmOpsApi';

/** A deployment of the model, from the catalog, the portal or both. */
interface DeploymentRow {
  id: string;
  name: string;
  entity?: Entity;
  record?: Deployment;
}

const columns: TableColumn<DeploymentRow>[] = [
  {
    title: 'Deployment',
    field: 'name',
    highlight: true,
    render: row =>
      row.entity ? <EntityRefLink entityRef={row.entity} /> : row.name,
  },
  {
    title: 'Environment',
    render: row =>
      row.record?.environment ??
      (row.entity && isDeploymentEntity(row.entity)
        ? row.entity.spec.environment
        : '—'),
  },
  {
    title: 'Status',
    render: row => row.record?.status ?? 'not deployed by the portal',
  },
  { title: 'Owner', render: row => row.record?.owner ?? '—' },
];

/** Joins catalog Deployments and portal records by name (a record's name is its entity's name). */
function toRows(entities: Entity[], records: Deployment[]): DeploymentRow[] {
  const rows = new Map<string, DeploymentRow>();
  for (const entity of entities) {
    const name = entity.metadata.name;
    rows.set(name, { id: name, name, entity });
  }
  for (const record of records) {
    const row = rows.get(record.name) ?? { id: record.name, name: record.name };
    rows.set(record.name, { ...row, record });
  }
  return [...rows.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The deployments that serve the current Model entity: the catalog's
 * `servedBy` relations and the portal's deployment records.
 *
 * @public
 */
export function ModelDeploymentsCard() {
  const { entity } = useEntity();
  const api = useApi(llmOpsApiRef);
  const related = useRelatedEntities(entity, { type: RELATION_SERVED_BY });
  const modelRef = stringifyEntityRef(entity);
  const records = useAsync(
    () => api.listDeployments({ model_ref: modelRef }),
    [api, modelRef],
  );

  const error = related.error ?? records.error;
  let body;
  if (related.loading || records.loading) {
    body = <Progress />;
  } else if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else {
    const rows = toRows(related.entities ?? [], records.value?.items ?? []);
    body =
      rows.length === 0 ? (
        <EmptyState
          missing="data"
          title="Not deployed"
          description="No deployment in the catalog or the portal serves this model."
        />
      ) : (
        <Table<DeploymentRow>
          columns={columns}
          data={rows}
          options={{
            paging: false,
            search: false,
            sorting: false,
            toolbar: false,
            padding: 'dense',
          }}
        />
      );
  }
  return <InfoCard title="Deployments">{body}</InfoCard>;
}
