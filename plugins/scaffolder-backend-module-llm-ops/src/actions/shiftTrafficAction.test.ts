import { createDeploymentPromoteAction } from './deploymentPromote';
import { createDeploymentRollbackAction } from './deploymentRollback';
import { deploymentNameOf } from './shiftTrafficAction';
import {
  actionContext,
  actionDeps,
  checkpointStore,
  setupApi,
  userToken,
  validDeploymentSpec,
} from './__testUtils__/apiMock';

const deployment = (split: { old: number; new: number }) => ({
  status: 'success',
  message: 'Deployment',
  data: {
    id: 'dep-1',
    status: 'deployed',
    name: 'support-assistant-prod',
    environment: 'prod',
    backend: 'kserve',
    revision: 2,
    model_ref: validDeploymentSpec.model_ref,
    spec: {
      ...validDeploymentSpec,
      rollout: { strategy: 'canary', traffic_split: split },
    },
  },
});

describe.each([
  ['promote', createDeploymentPromoteAction, { old: 0, new: 100 }],
  ['rollback', createDeploymentRollbackAction, { old: 100, new: 0 }],
] as const)('llmops:deployment:%s', (direction, create, target) => {
  const api = setupApi();
  const action = create(actionDeps());

  it('has its id and dry-run support', () => {
    expect(action.id).toBe(`llmops:deployment:${direction}`);
    expect(action.supportsDryRun).toBe(true);
  });

  it('shifts the traffic as the user, once', async () => {
    api.answer('post', `/deployments/dep-1/${direction}`, 202, {
      status: 'success',
      message: 'Deployment queued',
      data: { id: 'dep-1', status: 'queued', spec: {} },
    });
    const store = checkpointStore();
    const ctx = actionContext(
      { deploymentId: 'dep-1' },
      { checkpoint: store.checkpoint as any },
    );
    await action.handler(ctx);
    await action.handler(
      actionContext(
        { deploymentId: 'dep-1' },
        { checkpoint: store.checkpoint as any },
      ),
    );
    expect(api.received).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: `/deployments/dep-1/${direction}`,
        authorization: userToken(),
      }),
    ]);
    expect(store.keys()).toEqual([
      `llmops:deployment:${direction}:mock-task-id:mock-step-id`,
    ]);
    expect(ctx.output).toHaveBeenCalledWith('status', 'queued');
    expect(ctx.output).toHaveBeenCalledWith('trafficSplit', target);
  });

  it('reports a conflict from the API', async () => {
    api.answer('post', `/deployments/dep-1/${direction}`, 409, {
      status: 'error',
      message: `Deployment dep-1 already has ${target.new}% on the new revision`,
      data: {},
    });
    await expect(
      action.handler(actionContext({ deploymentId: 'dep-1' })),
    ).rejects.toMatchObject({ name: 'ConflictError' });
  });

  it('in a dry run, reads the deployment and reports the split it would set', async () => {
    api.answer(
      'get',
      '/deployments/dep-1',
      200,
      deployment({ old: 90, new: 10 }),
    );
    const ctx = actionContext({ deploymentId: 'dep-1' }, { isDryRun: true });
    const info = jest.spyOn(ctx.logger, 'info');
    await action.handler(ctx);
    expect(api.received.map(r => `${r.method} ${r.path}`)).toEqual([
      'GET /deployments/dep-1',
    ]);
    expect(info).toHaveBeenCalledWith(
      expect.stringContaining(
        `would ${direction} deployment dep-1 (support-assistant-prod, prod) from 90/10 to ${target.old}/${target.new}`,
      ),
    );
    expect(ctx.output).toHaveBeenCalledWith('status', 'dry-run');
  });

  it('in a dry run, fails when the split is already the target', async () => {
    api.answer('get', '/deployments/dep-1', 200, deployment(target));
    await expect(
      action.handler(
        actionContext({ deploymentId: 'dep-1' }, { isDryRun: true }),
      ),
    ).rejects.toMatchObject({ name: 'ConflictError' });
  });

  const records = [
    { id: 'dep-1', name: 'support-assistant-prod', environment: 'prod' },
    { id: 'dep-2', name: 'support-assistant-dev', environment: 'dev' },
  ];

  it.each([
    ['an entity ref', 'deployment:default/support-assistant-prod'],
    ['a bare name', 'support-assistant-prod'],
  ])(
    'resolves the Deployment entity given as %s to its API id, as the user',
    async (_how, ref) => {
      api.answerDeploymentList(records);
      api.answer('post', `/deployments/dep-1/${direction}`, 200, {
        status: 'success',
        message: 'Deployment deployed',
        data: { id: 'dep-1', status: 'deployed', spec: {} },
      });
      const ctx = actionContext(
        { deployment: ref },
        { checkpoint: checkpointStore().checkpoint as any },
      );
      await action.handler(ctx);
      expect(api.received).toEqual([
        expect.objectContaining({
          method: 'GET',
          path: '/deployments',
          query: '?name=support-assistant-prod',
          authorization: userToken(),
        }),
        expect.objectContaining({
          method: 'POST',
          path: `/deployments/dep-1/${direction}`,
          authorization: userToken(),
        }),
      ]);
      expect(ctx.output).toHaveBeenCalledWith('deploymentId', 'dep-1');
      expect(ctx.output).toHaveBeenCalledWith('status', 'deployed');
    },
  );

  it('in a dry run, resolves the Deployment entity, then reads it', async () => {
    api.answerDeploymentList(records);
    api.answer(
      'get',
      '/deployments/dep-1',
      200,
      deployment({ old: 90, new: 10 }),
    );
    const ctx = actionContext(
      { deployment: 'deployment:default/support-assistant-prod' },
      { isDryRun: true },
    );
    await action.handler(ctx);
    expect(
      api.received.map(r => `${r.method} ${r.path}${r.query ?? ''}`),
    ).toEqual([
      'GET /deployments?name=support-assistant-prod',
      'GET /deployments/dep-1',
    ]);
    expect(ctx.output).toHaveBeenCalledWith('deploymentId', 'dep-1');
    expect(ctx.output).toHaveBeenCalledWith('status', 'dry-run');
  });

  it('fails with NotFoundError for a Deployment entity the API does not hold', async () => {
    api.answerDeploymentList(records);
    const run = action.handler(
      actionContext({ deployment: 'deployment:default/hand-made' }),
    );
    await expect(run).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(run).rejects.toThrow(
      /There is no LLM Ops deployment named hand-made/,
    );
    expect(api.received.map(r => r.method)).toEqual(['GET']);
  });

  it('fails with ConflictError when several deployments have the name', async () => {
    api.answerDeploymentList([
      ...records,
      { id: 'dep-3', name: 'support-assistant-prod', environment: 'stg' },
    ]);
    await expect(
      action.handler(actionContext({ deployment: 'support-assistant-prod' })),
    ).rejects.toThrow(
      /Several LLM Ops deployments are named support-assistant-prod \(dep-1 in prod, dep-3 in stg\)/,
    );
  });

  it.each([
    ['neither', {}],
    ['both', { deploymentId: 'dep-1', deployment: 'support-assistant-prod' }],
  ])(
    'needs exactly one of deploymentId and deployment (%s)',
    async (_how, input) => {
      await expect(action.handler(actionContext(input))).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(
          /exactly one of deploymentId .* and deployment/,
        ),
      });
      expect(api.received).toEqual([]);
    },
  );

  it('states the rule in its input schema, for the Actions page and the types', () => {
    const schema = action.schema?.input as any;
    expect(Object.keys(schema.properties)).toEqual([
      'deploymentId',
      'deployment',
    ]);
    expect(schema.required ?? []).toEqual([]);
  });

  it('fails with NotFoundError for an unknown deployment', async () => {
    api.answer('get', '/deployments/nope', 404, {
      status: 'error',
      message: 'deployments nope not found',
      data: {},
    });
    await expect(
      action.handler(
        actionContext({ deploymentId: 'nope' }, { isDryRun: true }),
      ),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
  });
});

describe('deploymentNameOf', () => {
  it.each([
    ['deployment:default/support-assistant-dev', 'support-assistant-dev'],
    ['Deployment:team-a/support-assistant-dev', 'support-assistant-dev'],
    ['default/support-assistant-dev', 'support-assistant-dev'],
    ['support-assistant-dev', 'support-assistant-dev'],
  ])('takes the name of %s', (ref, name) => {
    expect(deploymentNameOf(ref)).toBe(name);
  });

  it.each(['model:default/llama-3-8b', 'a:b:c', ''])('refuses %j', ref => {
    expect(() => deploymentNameOf(ref)).toThrow(/deployment/);
  });
});
