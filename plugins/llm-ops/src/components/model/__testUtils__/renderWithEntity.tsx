import { ReactNode } from 'react';
import type { Entity } from '@backstage/catalog-model';
import {
  CatalogApi,
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { LlmOpsApi, llmOpsApiRef } from '../../../api/LlmOpsApi';

/** A fake API implementing only the methods a test needs. */
export const fakeApi = (methods: Partial<LlmOpsApi>) => methods as LlmOpsApi;

/** Renders `ui` on the page of `entity`, with the given APIs. */
export function renderWithEntity(
  ui: ReactNode,
  options: {
    entity: Entity;
    api?: LlmOpsApi;
    catalogApi?: CatalogApi;
    /** The policy: false denies everything, a function decides per request. */
    allowed?: boolean | ((request: EvaluatePermissionRequest) => boolean);
  },
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [llmOpsApiRef, options.api ?? fakeApi({})],
        [catalogApiRef, options.catalogApi ?? catalogApiMock()],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: request => {
              const { allowed = true } = options;
              const allow =
                typeof allowed === 'function' ? allowed(request) : allowed;
              return allow ? AuthorizeResult.ALLOW : AuthorizeResult.DENY;
            },
          }),
        ],
      ]}
    >
      <EntityProvider entity={options.entity}>{ui}</EntityProvider>
    </TestApiProvider>,
    // EntityRefLink needs the entity page's route
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

/** A fine-tuned Model entity, as in `examples/models.yaml`. */
export const modelEntity: Entity = {
  apiVersion: 'llmops.dev/v1alpha1',
  kind: 'Model',
  metadata: {
    name: 'support-assistant-llama-3-8b',
    namespace: 'default',
    annotations: { 'llmops.dev/mlflow-model': 'support-assistant' },
  },
  spec: {
    type: 'fine-tuned',
    family: 'llama',
    owner: 'group:nlp',
    lifecycle: 'production',
    maxPositionEmbeddings: 8192,
    source: 'mlflow://models/support-assistant/4',
    trainedOn: [
      { dataset: 'dataset:default/support-tickets-sft', version: 'v3' },
    ],
  },
};

/** A stale read: the tool is down, the data is the last known. */
export const staleRead = {
  stale: true,
  fetchedAt: '2026-11-27T10:00:00.000Z',
  unavailable: { tool: 'mlflow', reason: 'connect ECONNREFUSED' },
};
