import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { LlmOpsClient, llmOpsApiRef } from './api/LlmOpsApi';
import { integrationsRouteRef } from './routes';
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
  routes: { integrations: integrationsRouteRef },
});

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

/** @public */
export const EntityModelOverviewCard = llmOpsPlugin.provide(
  createComponentExtension({
    name: 'EntityModelOverviewCard',
    component: {
      lazy: () =>
        import('./components/ModelOverviewCard').then(m => m.ModelOverviewCard),
    },
  }),
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
