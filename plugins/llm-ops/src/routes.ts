import { createRouteRef } from '@backstage/core-plugin-api';

/** The training jobs pages (legacy frontend system). @public */
export const trainingJobsRouteRef = createRouteRef({
  id: 'llm-ops:training-jobs',
});
/** @public */
export const deploymentsRouteRef = createRouteRef({
  id: 'llm-ops:deployments',
});
/** The integrations health page (legacy frontend system). @public */
export const integrationsRouteRef = createRouteRef({
  id: 'llm-ops:integrations',
});
