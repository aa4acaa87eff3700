import { createBackendModule } from '@backstage/backend-plugin-api';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  deploymentCreatePermission,
  deploymentPromotePermission,
  trainingJobCreatePermission,
} from '@llmops/plugin-llm-ops-common';
import request from 'supertest';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { llmOpsPlugin } from './plugin';
import {
  createDeploymentConditionalDecision,
  deploymentConditions,
  deploymentRules,
} from './service/deploymentPermissions';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import { createTestTools } from './__testUtils__/testAdapters';
import { baseModel, deploymentSpec, fineTuned, trainJobSpec } from './__testUtils__/fixtures';

/**
 * A real policy: the user `mock` (an intern) may not create training jobs or
 * deployments; everyone else may. (Conditions on the environment are shown
 * below, against the rule that the permission backend applies.)
 */
class InternPolicy implements PermissionPolicy {
  async handle(query: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    if (user?.info.userEntityRef !== 'user:default/mock') {
      return { result: AuthorizeResult.ALLOW };
    }
    if (
      isPermission(query.permission, deploymentCreatePermission) ||
      isPermission(query.permission, deploymentPromotePermission)
    ) {
      return { result: AuthorizeResult.DENY };
    }
    if (isPermission(query.permission, trainingJobCreatePermission)) {
      return { result: AuthorizeResult.DENY };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

const policyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'intern-policy',
  register(env) {
    env.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new InternPolicy());
      },
    });
  },
});

describe('permissions, with a real policy', () => {
  it('refuses a denied user with 403 and changes nothing', async () => {
    const tools = createTestTools();
    const { server } = await startTestBackend({
      features: [
        llmOpsPlugin,
        tools.module,
        permissionPlugin,
        policyModule,
        permissionsServiceFactory,
        catalogServiceMock.factory({ entities: [baseModel, fineTuned] }),
        mockServices.rootConfig.factory({ data: { permission: { enabled: true } } }),
      ],
    });

    const prod = await request(server)
      .post('/api/llm-ops/v1/deployments')
      .send({ name: 'support', environment: 'prod', spec: deploymentSpec({ old: 0, new: 100 }, 'rolling') });
    expect(prod.status).toBe(403);
    expect(prod.body).toMatchObject({ status: 'error', data: { name: 'NotAllowedError' } });

    const job = await request(server).post('/api/llm-ops/v1/training-jobs').send({ spec: trainJobSpec() });
    expect(job.status).toBe(403);

    const deployments = await request(server).get('/api/llm-ops/v1/deployments');
    expect(deployments.body.data.items).toEqual([]);
    const jobs = await request(server).get('/api/llm-ops/v1/training-jobs');
    expect(jobs.body.data.items).toEqual([]);
    expect(tools.serving.applied.size).toBe(0);
    expect(tools.orchestrator.workflows.size).toBe(0);

    const dev = await request(server)
      .post('/api/llm-ops/v1/deployments')
      .set('authorization', mockCredentials.user.header('user:default/ada'))
      .send({ name: 'support', environment: 'dev', spec: deploymentSpec({ old: 0, new: 100 }, 'rolling') });
    expect(dev.status).toBe(201);
    expect(tools.serving.applied.size).toBe(1);
  });
});

describe('the IS_IN_ENVIRONMENT condition', () => {
  it('lets a policy restrict prod deployments', () => {
    const decision = createDeploymentConditionalDecision(
      deploymentCreatePermission,
      deploymentConditions.isInEnvironment({ environments: ['dev', 'stg'] }),
    );
    const authorize = createConditionAuthorizer(deploymentRules);
    expect(authorize(decision, { environment: 'dev' })).toBe(true);
    expect(authorize(decision, { environment: 'stg' })).toBe(true);
    expect(authorize(decision, { environment: 'prod' })).toBe(false);
  });
});
