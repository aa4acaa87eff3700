import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import {
  catalogSyncStatusServiceRef,
  llmOpsToolsServiceRef,
} from '@llmops/plugin-llm-ops-node';
import { LlmOpsEntitiesProcessor } from './processor/LlmOpsEntitiesProcessor';
import { createProvidersFromConfig } from './providers/createProvidersFromConfig';

/**
 * Adds the `Model`, `Dataset` and `Deployment` kinds to the catalog, and
 * the entity providers configured under `catalog.providers.llmOps*`
 * (MLflow registry, Hugging Face Hub, DVC, KServe and Ray Serve).
 *
 * @public
 */
export const catalogModuleLlmOpsEntityModel = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'llm-ops-entity-model',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        syncStatus: catalogSyncStatusServiceRef,
        tools: llmOpsToolsServiceRef,
      },
      async init({ catalog, config, logger, scheduler, syncStatus, tools }) {
        catalog.addProcessor(new LlmOpsEntitiesProcessor());
        const providers = createProvidersFromConfig({
          config,
          logger,
          scheduler,
          tools,
        });
        if (providers.length > 0) catalog.addEntityProvider(providers);
        // Their state shows in the LLM Ops API's /health and /integrations.
        providers.forEach(provider => syncStatus.register(provider));
      },
    });
  },
});
