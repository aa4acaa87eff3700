import { createBackendModule } from '@backstage/backend-plugin-api';

/**
 * The LLM Ops scaffolder actions.
 *
 * @public
 */
export const scaffolderModuleLlmOps = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'llm-ops',
  register(env) {
    env.registerInit({
      deps: {},
      async init() {},
    });
  },
});
