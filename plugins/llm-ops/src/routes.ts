import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

/** The training jobs list (legacy frontend system). @public */
export const trainingJobsRouteRef = createRouteRef({
  id: 'llm-ops:training-jobs',
});

/** One training job's page, under the training jobs list. @public */
export const trainingJobRouteRef = createSubRouteRef({
  id: 'llm-ops:training-job',
  parent: trainingJobsRouteRef,
  path: '/:id',
});

/** The deployments list (legacy frontend system). @public */
export const deploymentsRouteRef = createRouteRef({
  id: 'llm-ops:deployments',
});

/** The integrations health page (legacy frontend system). @public */
export const integrationsRouteRef = createRouteRef({
  id: 'llm-ops:integrations',
});

/** The LLM Ops home page. @public */
export const homeRouteRef = createRouteRef({ id: 'llm-ops:home' });

/** The catalog's Models, with their family, context length and base model. @public */
export const modelsRouteRef = createRouteRef({ id: 'llm-ops:models' });

/** The catalog's Datasets. @public */
export const datasetsRouteRef = createRouteRef({ id: 'llm-ops:datasets' });

/** The catalog's Deployments, with environment, backend and health. @public */
export const servingRouteRef = createRouteRef({ id: 'llm-ops:serving' });
