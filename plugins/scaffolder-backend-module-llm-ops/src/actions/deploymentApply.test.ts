import { createDeploymentApplyAction } from './deploymentApply';
import {
  actionContext,
  actionDeps,
  checkpointStore,
  setupApi,
  userToken,
  validDeploymentSpec,
} from './__testUtils__/apiMock';

const input = {
  name: 'support-assistant-dev',
  environment: 'dev' as const,
  namespace: 'llm-dev',
  spec: validDeploymentSpec,
};

describe('llmops:deployment:apply', () => {
  const api = setupApi();
  const action = createDeploymentApplyAction(actionDeps());

  it('supports dry runs', () => {
    expect(action.supportsDryRun).toBe(true);
  });

  it('creates the deployment as the user, once, with the checkpoint key as Idempotency-Key', async () => {
    api.answer('post', '/deployments', 202, {
      status: 'success',
      message: 'Deployment queued',
      data: { id: 'dep-1', status: 'queued', spec: {} },
    });
    const store = checkpointStore();
    const ctx = actionContext(input, { checkpoint: store.checkpoint as any });
    await action.handler(ctx);
    await action.handler(
      actionContext(input, { checkpoint: store.checkpoint as any }),
    );

    expect(api.received).toEqual([
      {
        method: 'POST',
        path: '/deployments',
        body: input,
        authorization: userToken(),
        idempotencyKey: 'llmops:deployment:apply:mock-task-id:mock-step-id',
      },
    ]);
    expect(ctx.output).toHaveBeenCalledWith('deploymentId', 'dep-1');
    expect(ctx.output).toHaveBeenCalledWith('status', 'queued');
  });

  it('applies a new revision of an existing deployment', async () => {
    api.answer('put', '/deployments/dep-1', 200, {
      status: 'success',
      message: 'Deployment deployed',
      data: { id: 'dep-1', status: 'deployed', spec: {} },
    });
    const ctx = actionContext({ ...input, deploymentId: 'dep-1' });
    await action.handler(ctx);
    expect(api.received).toEqual([
      expect.objectContaining({
        method: 'PUT',
        path: '/deployments/dep-1',
        body: { spec: validDeploymentSpec },
      }),
    ]);
    expect(ctx.output).toHaveBeenCalledWith('status', 'deployed');
  });

  it('fails with every error when the API refuses the spec', async () => {
    api.answer('post', '/deployments', 400, {
      status: 'error',
      message: 'The spec is invalid',
      data: {
        errors: [
          {
            path: 'resources.gpu_memory_gb',
            rule: 'resources.insufficient_gpu',
            message: '16 is below 24',
          },
        ],
      },
    });
    await expect(action.handler(actionContext(input))).rejects.toThrow(
      '- resources.gpu_memory_gb [resources.insufficient_gpu]: 16 is below 24',
    );
  });

  it('fails with NotAllowedError when the user may not deploy to the environment', async () => {
    api.answer('post', '/deployments', 403, {
      status: 'error',
      message: 'Not allowed: llm-ops.deployment.create',
      data: {},
    });
    await expect(action.handler(actionContext(input))).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
  });

  it('in a dry run, validates without applying', async () => {
    api.answer('post', '/deployments/validate', 200, {
      status: 'success',
      message: 'The spec is valid',
      data: { valid: true, errors: [] },
    });
    const ctx = actionContext(input, { isDryRun: true });
    await action.handler(ctx);
    expect(api.received.map(r => r.path)).toEqual(['/deployments/validate']);
    // Checked where it would deploy, as applying it is.
    expect(api.received[0].body).toEqual({
      spec: validDeploymentSpec,
      environment: 'dev',
    });
    expect(ctx.output).toHaveBeenCalledWith('status', 'dry-run');
  });
});
