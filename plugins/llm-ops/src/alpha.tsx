import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { isModelEntity } from '@llmops/plugin-llm-ops-common';
import { LlmOpsClient, llmOpsApiRef } from './api/LlmOpsApi';

const integrationsRouteRef = createRouteRef();

const llmOpsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: llmOpsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new LlmOpsClient(deps),
    }),
});

const integrationsPage = PageBlueprint.make({
  name: 'integrations',
  params: {
    path: '/llm-ops/integrations',
    title: 'LLM Ops integrations',
    routeRef: integrationsRouteRef,
    loader: () =>
      import('./components/IntegrationsHealthPage').then(m => (
        <m.IntegrationsHealthContent />
      )),
  },
});

const modelOverviewCard = EntityCardBlueprint.make({
  name: 'model-overview',
  params: {
    filter: isModelEntity,
    loader: () =>
      import('./components/ModelOverviewCard').then(m => (
        <m.ModelOverviewCard />
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
    integrationsPage,
    modelOverviewCard,
    llmOpsSpecFormField,
  ],
  routes: { integrations: integrationsRouteRef },
});
