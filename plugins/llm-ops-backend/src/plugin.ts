import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  createConfiguredAdapters,
  LlmOpsAdapter,
  llmOpsAdaptersExtensionPoint,
  mergeAdapters,
} from '@llmops/plugin-llm-ops-node';
import { createRouter } from './service/router';

/**
 * The LLM Ops backend plugin: the `/llm-ops/v1` API, served by Backstage at
 * `/api/llm-ops/v1`.
 *
 * @public
 */
export const llmOpsPlugin = createBackendPlugin({
  pluginId: 'llm-ops',
  register(env) {
    const registered: LlmOpsAdapter[] = [];
    env.registerExtensionPoint(llmOpsAdaptersExtensionPoint, {
      addAdapter(...adapters) {
        registered.push(...adapters);
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
      },
      async init({ config, logger, httpRouter }) {
        const integrations = mergeAdapters(
          createConfiguredAdapters(config),
          registered,
        );
        httpRouter.use(await createRouter({ logger, integrations }));
        // Health is for monitors; it reveals no secrets. Everything else
        // requires user or service credentials (the default).
        httpRouter.addAuthPolicy({ path: '/v1/health', allow: 'unauthenticated' });
      },
    });
  },
});
