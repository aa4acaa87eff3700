import { createDeploymentValidateAction } from './deploymentValidate';
import {
  actionContext,
  actionDeps,
  setupApi,
  userToken,
  validDeploymentSpec,
} from './__testUtils__/apiMock';

const valid = {
  status: 'success',
  message: 'The spec is valid',
  data: { valid: true, errors: [] },
};

describe('llmops:deployment:validate', () => {
  const api = setupApi();
  const action = createDeploymentValidateAction(actionDeps());

  it('supports dry runs', () => {
    expect(action.supportsDryRun).toBe(true);
  });

  it('validates as the user and derives the serve target from job_type', async () => {
    api.answer('post', '/deployments/validate', 200, valid);
    const ctx = actionContext({ spec: validDeploymentSpec });
    await action.handler(ctx);
    expect(api.received[0]).toMatchObject({
      path: '/deployments/validate',
      body: { spec: validDeploymentSpec },
      authorization: userToken(),
    });
    expect(ctx.output).toHaveBeenCalledWith('valid', true);
    expect(ctx.output).toHaveBeenCalledWith('serveTarget', 'GENERATION');
    expect(ctx.output).toHaveBeenCalledWith(
      'yaml',
      expect.stringContaining('kind: DeploymentSpec'),
    );
  });

  it('keeps an explicit serve target', async () => {
    api.answer('post', '/deployments/validate', 200, valid);
    const ctx = actionContext({
      spec: {
        ...validDeploymentSpec,
        job_type: 'RAG_TUNING',
        serve_target: 'RAG',
      },
    });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('serveTarget', 'RAG');
  });

  it('fails with every error and its rule code', async () => {
    api.answer('post', '/deployments/validate', 200, {
      status: 'success',
      message: '3 error(s)',
      data: {
        valid: false,
        errors: [
          {
            path: 'resources.gpus',
            rule: 'resources.insufficient_gpu',
            message: 'gpus 0 is below 1',
          },
          {
            path: 'runtime.max_input_tokens',
            rule: 'runtime.max_input_tokens_exceeds_model',
            message: '9000 exceeds 8192',
          },
          {
            path: 'rollout.traffic_split',
            rule: 'rollout.traffic_split_invalid',
            message: 'must add up to 100',
          },
        ],
      },
    });
    const failure = action.handler(
      actionContext({ spec: validDeploymentSpec }),
    );
    await expect(failure).rejects.toThrow(
      'The DeploymentSpec is invalid (3 errors)',
    );
    await expect(failure).rejects.toThrow('[resources.insufficient_gpu]');
    await expect(failure).rejects.toThrow(
      '[runtime.max_input_tokens_exceeds_model]',
    );
    await expect(failure).rejects.toThrow('[rollout.traffic_split_invalid]');
  });
});
