import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { LlmOpsClient, llmOpsApiRef } from './api/LlmOpsApi';
import {
  deploymentsRouteRef,
  integrationsRouteRef,
  trainingJobsRouteRef,
} from './routes';
import { createLlmOpsSpecFieldExtension } from './scaffolder/fields';

/**
 * The LLM Ops frontend plugin for the legacy frontend system.
 *
 * @public
 */
export const llmOpsPlugin = createPlugin({
  id: 'llm-ops',
  apis: [
    createApiFactory({
      api: llmOpsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new LlmOpsClient(deps),
    }),
  ],
  routes: {
    trainingJobs: trainingJobsRouteRef,
    deployments: deploymentsRouteRef,
    integrations: integrationsRouteRef,
  },
});

/** Training jobs: the list at `/`, each job at `/:id`. @public */
export const LlmOpsTrainingJobsPage = llmOpsPlugin.provide(
  createRoutableExtension({
    name: 'LlmOpsTrainingJobsPage',
    component: () =>
      import('./components/TrainingJobsRoutes').then(m => m.TrainingJobsRoutes),
    mountPoint: trainingJobsRouteRef,
  }),
);

/** @public */
export const LlmOpsDeploymentsPage = llmOpsPlugin.provide(
  createRoutableExtension({
    name: 'LlmOpsDeploymentsPage',
    component: () => import('./components/pages').then(m => m.DeploymentsPage),
    mountPoint: deploymentsRouteRef,
  }),
);

/** @public */
export const LlmOpsIntegrationsPage = llmOpsPlugin.provide(
  createRoutableExtension({
    name: 'LlmOpsIntegrationsPage',
    component: () =>
      import('./components/IntegrationsHealthPage').then(
        m => m.IntegrationsHealthPage,
      ),
    mountPoint: integrationsRouteRef,
  }),
);

/** A lazily loaded entity component of this plugin (legacy frontend system). */
function entityComponent(
  name: string,
  lazy: () => Promise<(props: {}) => JSX.Element | null>,
) {
  return llmOpsPlugin.provide(
    createComponentExtension({ name, component: { lazy } }),
  );
}

/** @public */
export const EntityModelOverviewCard = entityComponent(
  'EntityModelOverviewCard',
  () => import('./components/ModelOverviewCard').then(m => m.ModelOverviewCard),
);

/** @public */
export const EntityModelRegistryCard = entityComponent(
  'EntityModelRegistryCard',
  () => import('./components/model').then(m => m.ModelRegistryCard),
);
/** @public */
export const EntityModelDeploymentsCard = entityComponent(
  'EntityModelDeploymentsCard',
  () => import('./components/model').then(m => m.ModelDeploymentsCard),
);
/** The runs table and metric charts of a Model, for an entity tab. @public */
export const EntityModelRunsContent = entityComponent(
  'EntityModelRunsContent',
  () => import('./components/model').then(m => m.ModelRunsContent),
);
/** MLflow's own page of the model, embedded. @public */
export const EntityMlflowModelContent = entityComponent(
  'EntityMlflowModelContent',
  () =>
    import('./components/EntityToolUiContent').then(
      m => m.EntityMlflowModelContent,
    ),
);
/** The Ray dashboard, embedded, for a Deployment served by Ray Serve. @public */
export const EntityRayDashboardContent = entityComponent(
  'EntityRayDashboardContent',
  () =>
    import('./components/EntityToolUiContent').then(
      m => m.EntityRayDashboardContent,
    ),
);
/** @public */
export const EntityDatasetVersionsCard = entityComponent(
  'EntityDatasetVersionsCard',
  () => import('./components/dataset').then(m => m.DatasetVersionsCard),
);
/** @public */
export const EntityDatasetModelsCard = entityComponent(
  'EntityDatasetModelsCard',
  () => import('./components/dataset').then(m => m.DatasetModelsCard),
);
/** @public */
export const EntityDeploymentRolloutCard = entityComponent(
  'EntityDeploymentRolloutCard',
  () => import('./components/deployment').then(m => m.DeploymentRolloutCard),
);
/** @public */
export const EntityDeploymentRuntimeCard = entityComponent(
  'EntityDeploymentRuntimeCard',
  () => import('./components/deployment').then(m => m.DeploymentRuntimeCard),
);
/** @public */
export const EntityDeploymentConditionsCard = entityComponent(
  'EntityDeploymentConditionsCard',
  () => import('./components/deployment').then(m => m.DeploymentConditionsCard),
);

/**
 * The `LlmOpsSpecField` scaffolder field (legacy frontend system): add it
 * inside `<ScaffolderFieldExtensions>`. It validates the TrainJobSpec or
 * DeploymentSpec assembled from the form as the user types.
 *
 * @public
 */
export const LlmOpsSpecFieldExtension = llmOpsPlugin.provide(
  createLlmOpsSpecFieldExtension(),
);
