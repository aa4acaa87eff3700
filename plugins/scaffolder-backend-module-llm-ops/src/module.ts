import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  createDeploymentApplyAction,
  createDeploymentPromoteAction,
  createDeploymentRollbackAction,
  createDeploymentValidateAction,
  createTrainJobSubmitAction,
  createTrainJobValidateAction,
} from './actions';
import { withPlainErrors } from './actions/plainErrors';

/**
 * The LLM Ops scaffolder actions: `llmops:trainjob:validate|submit` and
 * `llmops:deployment:validate|apply|promote|rollback`. They call the
 * `/llm-ops/v1` API on behalf of the user who runs the template.
 *
 * @public
 */
export const scaffolderModuleLlmOps = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'llm-ops',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
      },
      async init({ scaffolder, auth, discovery }) {
        const deps = { auth, discovery };
        scaffolder.addActions(
          ...[
            createTrainJobValidateAction(deps),
            createTrainJobSubmitAction(deps),
            createDeploymentValidateAction(deps),
            createDeploymentApplyAction(deps),
            createDeploymentPromoteAction(deps),
            createDeploymentRollbackAction(deps),
          ].map(withPlainErrors),
        );
      },
    });
  },
});
