import { createRouteRef } from '@backstage/core-plugin-api';

/** The integrations health page (legacy frontend system). @public */
export const integrationsRouteRef = createRouteRef({ id: 'llm-ops:integrations' });
