import type { Entity } from '@backstage/catalog-model';
import {
  DatasetEntity,
  DeploymentEntity,
  ModelEntity,
} from '@llmops/plugin-llm-ops-common';
import { DeploymentHealth } from '../deployment/DeploymentHealth';
import { formatParameterCount } from '../model/format';
import { EntityFilter, EntityKindList, refColumn } from './EntityKindList';

const model = (e: Entity) => e as ModelEntity;
const dataset = (e: Entity) => e as DatasetEntity;
const deployment = (e: Entity) => e as DeploymentEntity;

const ownerFilter: EntityFilter = {
  key: 'owner',
  label: 'Owner',
  value: e => String(e.spec?.owner ?? ''),
};
const ownerColumn = refColumn('Owner', e => e.spec?.owner as string, 'group');

const modelFilters: EntityFilter[] = [
  { key: 'family', label: 'Family', value: e => model(e).spec.family },
  {
    key: 'type',
    label: 'Type',
    options: ['base', 'fine-tuned'],
    value: e => model(e).spec.type,
  },
  ownerFilter,
];

/** The catalog's Models: family, context length, size and lineage. */
export function ModelsListPage() {
  return (
    <EntityKindList
      kind="Model"
      title="Models"
      filters={modelFilters}
      columns={[
        { title: 'Family', render: e => model(e).spec.family },
        { title: 'Type', render: e => model(e).spec.type },
        {
          title: 'Context length',
          align: 'right',
          render: e =>
            model(e).spec.maxPositionEmbeddings.toLocaleString('en-US'),
        },
        {
          title: 'Parameters',
          align: 'right',
          render: e => formatParameterCount(model(e).spec.parameterCount),
        },
        refColumn('Base model', e => model(e).spec.baseModel, 'model'),
        { title: 'Lifecycle', render: e => model(e).spec.lifecycle },
        ownerColumn,
      ]}
    />
  );
}

/** The catalog's Datasets: type, newest version and where DVC keeps them. */
export function DatasetsListPage() {
  return (
    <EntityKindList
      kind="Dataset"
      title="Datasets"
      filters={[
        { key: 'type', label: 'Type', value: e => dataset(e).spec.type },
        ownerFilter,
      ]}
      columns={[
        { title: 'Type', render: e => dataset(e).spec.type },
        {
          title: 'Newest version',
          render: e => dataset(e).spec.versions?.[0]?.version ?? '—',
        },
        {
          title: 'Versioned by',
          render: e => (dataset(e).spec.dvc ? 'DVC' : 'the catalog'),
        },
        { title: 'Lifecycle', render: e => dataset(e).spec.lifecycle },
        ownerColumn,
      ]}
    />
  );
}

/** The catalog's Deployments: environment, backend, model and health. */
export function ServingListPage() {
  return (
    <EntityKindList
      kind="Deployment"
      title="Deployments"
      filters={[
        {
          key: 'environment',
          label: 'Environment',
          options: ['dev', 'stg', 'prod'],
          value: e => deployment(e).spec.environment,
        },
        {
          key: 'backend',
          label: 'Backend',
          options: ['kserve', 'rayserve'],
          value: e => deployment(e).spec.backend,
        },
        { key: 'model', label: 'Model', value: e => deployment(e).spec.model },
      ]}
      columns={[
        { title: 'Environment', render: e => deployment(e).spec.environment },
        { title: 'Backend', render: e => deployment(e).spec.backend },
        refColumn('Model', e => deployment(e).spec.model, 'model'),
        {
          title: 'Rollout',
          render: e => {
            const rollout = deployment(e).spec.rollout;
            return rollout
              ? `${rollout.strategy} ${rollout.trafficSplit.old}/${rollout.trafficSplit.new}`
              : '—';
          },
        },
        {
          title: 'Health',
          render: e => <DeploymentHealth entity={deployment(e)} />,
        },
        ownerColumn,
      ]}
    />
  );
}
