import { createBackendModule } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { LlmOpsEntitiesProcessor } from './processor/LlmOpsEntitiesProcessor';

/**
 * Adds the `Model`, `Dataset` and `Deployment` kinds to the catalog.
 *
 * @public
 */
export const catalogModuleLlmOpsEntityModel = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'llm-ops-entity-model',
  register(env) {
    env.registerInit({
      deps: { catalog: catalogProcessingExtensionPoint },
      async init({ catalog }) {
        catalog.addProcessor(new LlmOpsEntitiesProcessor());
      },
    });
  },
});
