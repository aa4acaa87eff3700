import type { LlmOpsActionDeps } from './LlmOpsApiClient';
import { createShiftTrafficAction } from './shiftTrafficAction';
import { shiftTrafficExamples } from './shiftTrafficAction.examples';

/**
 * `llmops:deployment:rollback`: gives a deployment's previous revision all
 * the traffic back (old 100 / new 0), as the user who runs the template.
 *
 * @public
 */
export function createDeploymentRollbackAction(deps: LlmOpsActionDeps) {
  return createShiftTrafficAction('rollback', deps, {
    description:
      'Rolls a deployment back: its previous revision gets all the traffic',
    examples: shiftTrafficExamples('rollback'),
  });
}
