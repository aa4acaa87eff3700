import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import type { Entity } from '@backstage/catalog-model';
import {
  isDatasetEntity,
  isDeploymentEntity,
  isModelEntity,
} from '@llmops/plugin-llm-ops-common';
import TimelineIcon from '@material-ui/icons/Timeline';
import CloudQueueIcon from '@material-ui/icons/CloudQueue';
import SettingsInputComponentIcon from '@material-ui/icons/SettingsInputComponent';
import { LlmOpsClient, llmOpsApiRef } from './api/LlmOpsApi';
import {
  hasMlflowModel,
  isRayServeDeployment,
} from './components/EntityToolUiContent';

const trainingJobsRouteRef = createRouteRef();
const deploymentsRouteRef = createRouteRef();
const integrationsRouteRef = createRouteRef();

const llmOpsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: llmOpsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new LlmOpsClient(deps),
    }),
});

// LLM Ops pages, each with a sidebar item.
const trainingJobsPage = PageBlueprint.make({
  name: 'training-jobs',
  params: {
    path: '/llm-ops/training-jobs',
    title: 'Training jobs',
    icon: <TimelineIcon />,
    routeRef: trainingJobsRouteRef,
    loader: () =>
      import('./components/TrainingJobsRoutes').then(m => (
        <m.TrainingJobsRoutes />
      )),
  },
});

const deploymentsPage = PageBlueprint.make({
  name: 'deployments',
  params: {
    path: '/llm-ops/deployments',
    title: 'Deployments',
    icon: <CloudQueueIcon />,
    routeRef: deploymentsRouteRef,
    loader: () => import('./components/pages').then(m => <m.DeploymentsPage />),
  },
});

const integrationsPage = PageBlueprint.make({
  name: 'integrations',
  params: {
    path: '/llm-ops/integrations',
    title: 'Tool health',
    icon: <SettingsInputComponentIcon />,
    routeRef: integrationsRouteRef,
    loader: () =>
      import('./components/IntegrationsHealthPage').then(m => (
        <m.IntegrationsHealthPage />
      )),
  },
});

/** An entity card that only shows for entities the filter accepts. */
function card(
  name: string,
  filter: (entity: Entity) => boolean,
  loader: () => Promise<JSX.Element>,
  type: 'info' | 'content' = 'content',
) {
  return EntityCardBlueprint.make({ name, params: { filter, loader, type } });
}

// Model entity pages
const modelCards = [
  card(
    'model-overview',
    isModelEntity,
    () =>
      import('./components/ModelOverviewCard').then(m => (
        <m.ModelOverviewCard />
      )),
    'info',
  ),
  card(
    'model-registry',
    e => isModelEntity(e) && hasMlflowModel(e),
    () => import('./components/model').then(m => <m.ModelRegistryCard />),
  ),
  card('model-deployments', isModelEntity, () =>
    import('./components/model').then(m => <m.ModelDeploymentsCard />),
  ),
];

const modelRunsContent = EntityContentBlueprint.make({
  name: 'model-runs',
  params: {
    path: '/runs',
    title: 'Training runs',
    filter: e => isModelEntity(e) && hasMlflowModel(e),
    loader: () =>
      import('./components/model').then(m => <m.ModelRunsContent />),
  },
});

const modelMlflowContent = EntityContentBlueprint.make({
  name: 'model-mlflow',
  params: {
    path: '/mlflow',
    title: 'MLflow',
    filter: e => isModelEntity(e) && hasMlflowModel(e),
    loader: () =>
      import('./components/EntityToolUiContent').then(m => (
        <m.EntityMlflowModelContent />
      )),
  },
});

// Dataset entity pages
const datasetCards = [
  card('dataset-versions', isDatasetEntity, () =>
    import('./components/dataset').then(m => <m.DatasetVersionsCard />),
  ),
  card('dataset-models', isDatasetEntity, () =>
    import('./components/dataset').then(m => <m.DatasetModelsCard />),
  ),
];

// Deployment entity pages
const deploymentCards = [
  card('deployment-rollout', isDeploymentEntity, () =>
    import('./components/deployment').then(m => <m.DeploymentRolloutCard />),
  ),
  card(
    'deployment-runtime',
    isDeploymentEntity,
    () =>
      import('./components/deployment').then(m => <m.DeploymentRuntimeCard />),
    'info',
  ),
  card('deployment-conditions', isDeploymentEntity, () =>
    import('./components/deployment').then(m => <m.DeploymentConditionsCard />),
  ),
];

const rayDashboardContent = EntityContentBlueprint.make({
  name: 'deployment-ray-dashboard',
  params: {
    path: '/ray',
    title: 'Ray dashboard',
    filter: isRayServeDeployment,
    loader: () =>
      import('./components/EntityToolUiContent').then(m => (
        <m.EntityRayDashboardContent />
      )),
  },
});

/** The `LlmOpsSpecField` scaffolder field: live validation of the spec forms. */
const llmOpsSpecFormField = FormFieldBlueprint.make({
  name: 'llm-ops-spec',
  params: {
    field: () =>
      import('./scaffolder/formField').then(m => m.llmOpsSpecFormField),
  },
});

/**
 * The LLM Ops frontend plugin for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'llm-ops',
  extensions: [
    llmOpsApi,
    trainingJobsPage,
    deploymentsPage,
    integrationsPage,
    ...modelCards,
    modelRunsContent,
    modelMlflowContent,
    ...datasetCards,
    ...deploymentCards,
    rayDashboardContent,
    llmOpsSpecFormField,
  ],
  routes: {
    trainingJobs: trainingJobsRouteRef,
    deployments: deploymentsRouteRef,
    integrations: integrationsRouteRef,
  },
});
