import type { LlmOpsActionDeps } from './LlmOpsApiClient';
import { createShiftTrafficAction } from './shiftTrafficAction';
import { shiftTrafficExamples } from './shiftTrafficAction.examples';

/**
 * `llmops:deployment:promote`: gives a deployment's new revision all the
 * traffic (old 0 / new 100), as the user who runs the template.
 *
 * @public
 */
export function createDeploymentPromoteAction(deps: LlmOpsActionDeps) {
  return createShiftTrafficAction('promote', deps, {
    description:
      "Promotes a deployment's new revision: it gets all the traffic",
    examples: shiftTrafficExamples('promote'),
  });
}
