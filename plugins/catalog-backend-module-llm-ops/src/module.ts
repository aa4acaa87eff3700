import {
  coreServices,
  createBackendModule,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import {
  catalogProcessingExtensionPoint,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  ANNOTATION_MLFLOW_MODEL,
  LLM_OPS_EVENT_TOPICS,
  LlmOpsClient,
} from '@llmops/plugin-llm-ops-common';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  catalogSyncStatusServiceRef,
  llmOpsToolsServiceRef,
} from '@llmops/plugin-llm-ops-node';
import { LlmOpsEntitiesProcessor } from './processor/LlmOpsEntitiesProcessor';
import { createProvidersFromConfig } from './providers/createProvidersFromConfig';
import { TrainingJobEntityProvider } from './providers/TrainingJobEntityProvider';

/**
 * Adds the `Model`, `Dataset`, `Deployment` and `TrainingJob` kinds to the
 * catalog, and the entity providers configured under
 * `catalog.providers.llmOps*` (MLflow registry, Hugging Face Hub, DVC,
 * KServe and Ray Serve, and the portal's own training jobs).
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
        catalogApi: catalogServiceRef,
        auth: coreServices.auth,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        events: eventsServiceRef,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        syncStatus: catalogSyncStatusServiceRef,
        tools: llmOpsToolsServiceRef,
      },
      async init({
        auth,
        catalog,
        catalogApi,
        config,
        discovery,
        events,
        logger,
        scheduler,
        syncStatus,
        tools,
      }) {
        catalog.addProcessor(new LlmOpsEntitiesProcessor());
        const providers = createProvidersFromConfig({
          config,
          logger,
          scheduler,
          tools,
        });
        const jobs = config.getOptionalConfig(
          'catalog.providers.llmOpsTrainingJobs',
        );
        if (jobs) {
          // The LLM Ops API, called as the catalog with its own service token.
          const api = new LlmOpsClient({ discoveryApi: discovery });
          const token = async () =>
            (
              await auth.getPluginRequestToken({
                onBehalfOf: await auth.getOwnServiceCredentials(),
                targetPluginId: 'llm-ops',
              })
            ).token;
          const provider = new TrainingJobEntityProvider({
            logger,
            taskRunner: scheduler.createScheduledTaskRunner(
              readSchedulerServiceTaskScheduleDefinitionFromConfig(
                jobs.getConfig('schedule'),
              ),
            ),
            jobs: {
              listTrainingJobs: async query =>
                api.listTrainingJobs(query, { token: await token() }),
            },
            apiBaseUrl: await discovery.getBaseUrl('llm-ops'),
            appBaseUrl: config.getString('app.baseUrl'),
            maxJobs: jobs.getOptionalNumber('maxJobs'),
            modelsOfRegisteredNames: async names => {
              const annotation = `metadata.annotations.${ANNOTATION_MLFLOW_MODEL}`;
              const { items } = await catalogApi.getEntities(
                {
                  filter: { kind: 'Model', [annotation]: names },
                  fields: ['kind', 'metadata', 'apiVersion'],
                },
                { credentials: await auth.getOwnServiceCredentials() },
              );
              return new Map(
                items.map(e => [
                  e.metadata.annotations![ANNOTATION_MLFLOW_MODEL],
                  stringifyEntityRef(e),
                ]),
              );
            },
          });
          providers.push(provider);
          await events.subscribe({
            id: 'catalog-llm-ops-training-jobs',
            topics: [
              LLM_OPS_EVENT_TOPICS.trainingJobStatusChanged,
              LLM_OPS_EVENT_TOPICS.trainingJobOutputRecorded,
            ],
            // Not awaited: the publisher does not wait for the catalog.
            onEvent: async () => {
              provider
                .refreshAfterChange()
                .catch(error =>
                  logger.warn(
                    `The TrainingJob entities were not refreshed after a change: ${error}`,
                  ),
                );
            },
          });
        }
        if (providers.length > 0) catalog.addEntityProvider(providers);
        // Their state shows in the LLM Ops API's /health and /integrations.
        providers.forEach(provider => syncStatus.register(provider));
      },
    });
  },
});
