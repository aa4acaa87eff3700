import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { LlmOpsApiClient, llmOpsApiRef } from './api';
import {
  deploymentsRouteRef,
  integrationsRouteRef,
  trainingJobRouteRef,
  trainingJobsRouteRef,
} from './routes';
import {
  llmOpsEntityFieldOptions,
  llmOpsSpecFieldOptions,
  llmOpsTrainDefaultsFieldOptions,
} from './scaffolder/fields';

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
      factory: deps => new LlmOpsApiClient(deps),
    }),
  ],
  routes: {
    trainingJobs: trainingJobsRouteRef,
    trainingJob: trainingJobRouteRef,
    deployments: deploymentsRouteRef,
    integrations: integrationsRouteRef,
  },
});

/** Training jobs: the list at `/`, each job at `/:id`. @public */
export const LlmOpsTrainingJobsPage: () => JSX.Element = llmOpsPlugin.provide(
  createRoutableExtension({
    name: 'LlmOpsTrainingJobsPage',
    component: () =>
      import('./components/TrainingJobsRoutes').then(m => m.TrainingJobsRoutes),
    mountPoint: trainingJobsRouteRef,
  }),
);

/** @public */
export const LlmOpsDeploymentsPage: () => JSX.Element = llmOpsPlugin.provide(
  createRoutableExtension({
    name: 'LlmOpsDeploymentsPage',
    component: () => import('./components/pages').then(m => m.DeploymentsPage),
    mountPoint: deploymentsRouteRef,
  }),
);

/** @public */
export const LlmOpsIntegrationsPage: () => JSX.Element = llmOpsPlugin.provide(
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
 * inside `<ScaffolderFieldExtensions>`. One per form step, it validates the
 * TrainJobSpec or DeploymentSpec assembled from the form as the user types,
 * and keeps the step from being left while the rules find an error.
 *
 * @public
 */
export const LlmOpsSpecFieldExtension = llmOpsPlugin.provide(
  createScaffolderFieldExtension(llmOpsSpecFieldOptions),
);

/**
 * The `LlmOpsEntityField` scaffolder field (legacy frontend system): an
 * entity picker whose filter follows the form, with the picked Model's facts,
 * or a value hinted by an entity picked in another field.
 *
 * @public
 */
export const LlmOpsEntityFieldExtension = llmOpsPlugin.provide(
  createScaffolderFieldExtension(llmOpsEntityFieldOptions),
);

/**
 * The `LlmOpsTrainDefaults` scaffolder field (legacy frontend system), for a
 * step's root: it fills the training defaults per job type and method.
 *
 * @public
 */
export const LlmOpsTrainDefaultsFieldExtension = llmOpsPlugin.provide(
  createScaffolderFieldExtension(llmOpsTrainDefaultsFieldOptions),
);
