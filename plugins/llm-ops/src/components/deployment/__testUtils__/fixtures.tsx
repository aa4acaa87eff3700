import { ReactNode } from 'react';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import type {
  Deployment,
  DeploymentEntity,
  DeploymentStatus,
} from '@llmops/plugin-llm-ops-common';
import { LlmOpsApi, llmOpsApiRef } from '../../../api/LlmOpsApi';
import type { TrafficSplit } from '../trafficSplit';

/** The mid-canary prod deployment of `examples/deployments.yaml`. */
export const deploymentEntity: DeploymentEntity = {
  apiVersion: 'llmops.dev/v1alpha1',
  kind: 'Deployment',
  metadata: { name: 'support-assistant-prod' },
  spec: {
    model: 'model:default/support-assistant-llama-3-8b',
    serveTarget: 'GENERATION',
    backend: 'kserve',
    cluster: 'prod-cluster',
    namespace: 'llm-prod',
    environment: 'prod',
    owner: 'group:nlp',
    lifecycle: 'production',
    endpoint: 'https://support-assistant.llm.example.com',
    runtime: {
      maxConcurrentRequests: 32,
      maxInputTokens: 6144,
      maxOutputTokens: 1024,
    },
    rollout: { strategy: 'canary', trafficSplit: { old: 90, new: 10 } },
    status: {
      ready: true,
      conditions: [
        {
          type: 'PredictorReady',
          status: 'True',
          lastTransitionTime: '2026-11-25T14:03:00Z',
        },
        {
          type: 'Ready',
          status: 'True',
          lastTransitionTime: '2026-11-25T14:03:00Z',
        },
      ],
    },
  },
};

/** A portal record of the deployment with the given split. */
export function deploymentRecord(
  split: TrafficSplit,
  overrides: Partial<Deployment> = {},
): Deployment {
  return {
    id: 'dep-1',
    name: 'support-assistant-prod',
    environment: 'prod',
    backend: 'kserve',
    namespace: 'llm-prod',
    revision: 3,
    model_ref: 'model:default/support-assistant-llama-3-8b',
    owner: 'user:default/ada',
    status: 'ready',
    spec: { rollout: { strategy: 'canary', traffic_split: split } },
    resource: {
      tool: 'kserve',
      id: 'support-assistant-prod',
      namespace: 'llm-prod',
    },
    createdAt: '2026-11-20T09:00:00.000Z',
    updatedAt: '2026-11-25T14:03:00.000Z',
    ...overrides,
  };
}

/** A live status read with the given split. */
export function servingStatus(
  split: TrafficSplit | undefined,
  overrides: Partial<DeploymentStatus> = {},
): DeploymentStatus {
  return {
    ready: true,
    url: 'https://support-assistant.live.example.com',
    trafficSplit: split,
    conditions: [{ type: 'Ready', status: 'True' }],
    stale: false,
    ...overrides,
  };
}

/** Renders `children` for the entity, with a fake API and a permission decision. */
export function renderForEntity(
  children: ReactNode,
  api: Partial<LlmOpsApi>,
  options: { allow?: boolean; entity?: DeploymentEntity } = {},
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [
          llmOpsApiRef,
          {
            // the rollout card's revision history; a test may give its own
            getDeployment: async (id: string) => ({
              ...deploymentRecord({ old: 90, new: 10 }, { id }),
              history: [],
              deliveries: [],
              links: [],
            }),
            ...api,
          },
        ],
        [
          permissionApiRef,
          mockApis.permission({
            authorize:
              options.allow === false
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          }),
        ],
      ]}
    >
      <EntityProvider entity={options.entity ?? deploymentEntity}>
        {children}
      </EntityProvider>
    </TestApiProvider>,
    // the cards link to models and users
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}
