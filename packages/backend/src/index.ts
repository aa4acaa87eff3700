/*
 * The LLM Ops portal's backend: Backstage's catalog, scaffolder, search,
 * kubernetes and auth plugins, plus the llm-ops plugin family.
 */
import { createBackend } from '@backstage/backend-defaults';
import { permissionModuleLlmOpsPolicy } from './permissionPolicy';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-events-backend'));

// auth: guest sign-in for local use
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// catalog, with the Model, Dataset and Deployment kinds
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
backend.add(import('@llmops/plugin-catalog-backend-module-llm-ops'));

// scaffolder, with the llm-ops actions
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@llmops/plugin-scaffolder-backend-module-llm-ops'));

// permissions: LLM Ops changes for owners, release managers and admins
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(permissionModuleLlmOpsPolicy);

// search (in-memory Lunr engine) over the catalog
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

backend.add(import('@backstage/plugin-kubernetes-backend'));

// signals: live updates to the frontend (user settings and llm-ops pages use them)
backend.add(import('@backstage/plugin-signals-backend'));
// notifications: llm-ops tells owners when a job ends or a deployment changes health
backend.add(import('@backstage/plugin-notifications-backend'));

// user settings: the frontend's settings and starred entities, per user
backend.add(import('@backstage/plugin-user-settings-backend'));

// the /llm-ops/v1 API
backend.add(import('@llmops/plugin-llm-ops-backend'));

backend.start();
