import { createTrainJobSubmitAction } from './trainJobSubmit';
import {
  actionContext,
  actionDeps,
  checkpointStore,
  setupApi,
  userToken,
  validTrainJobSpec,
} from './__testUtils__/apiMock';

const submitted = {
  status: 'success',
  message: 'Training job submitted',
  data: {
    id: 'job-1',
    status: 'submitted',
    spec: validTrainJobSpec,
    workflow: {
      tool: 'argo',
      id: 'llmops-job-1',
      namespace: 'ml',
      url: 'http://argo.test/workflows/ml/llmops-job-1',
      uiPath: 'workflows/ml/llmops-job-1',
    },
    run: {
      tool: 'mlflow',
      id: 'run-1',
      experimentId: '1',
      url: 'http://mlflow.test/#/runs/run-1',
    },
  },
};

describe('llmops:trainjob:submit', () => {
  const api = setupApi();
  const action = createTrainJobSubmitAction(actionDeps());

  it('supports dry runs', () => {
    expect(action.id).toBe('llmops:trainjob:submit');
    expect(action.supportsDryRun).toBe(true);
  });

  it('submits as the user, in a checkpoint whose key is the Idempotency-Key, and outputs the tool links', async () => {
    api.answer('post', '/training-jobs', 201, submitted);
    const store = checkpointStore();
    const ctx = actionContext(
      { spec: validTrainJobSpec },
      { checkpoint: store.checkpoint as any },
    );
    await action.handler(ctx);

    expect(store.keys()).toEqual([
      'llmops:trainjob:submit:mock-task-id:mock-step-id',
    ]);
    expect(api.received).toEqual([
      {
        method: 'POST',
        path: '/training-jobs',
        body: { spec: validTrainJobSpec },
        authorization: userToken(),
        idempotencyKey: 'llmops:trainjob:submit:mock-task-id:mock-step-id',
      },
    ]);
    expect(ctx.output).toHaveBeenCalledWith('jobId', 'job-1');
    expect(ctx.output).toHaveBeenCalledWith('status', 'submitted');
    expect(ctx.output).toHaveBeenCalledWith(
      'workflowUrl',
      'http://argo.test/workflows/ml/llmops-job-1',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'runUrl',
      'http://mlflow.test/#/runs/run-1',
    );
    expect(ctx.output).toHaveBeenCalledWith('links', [
      'http://argo.test/workflows/ml/llmops-job-1',
      'http://mlflow.test/#/runs/run-1',
    ]);
    // The spec the API took, for the skeleton: no validate step is needed.
    expect(ctx.output).toHaveBeenCalledWith(
      'yaml',
      expect.stringContaining('kind: TrainJobSpec\njob_type: SFT\n'),
    );
  });

  it('does not submit twice when a task is retried', async () => {
    api.answer('post', '/training-jobs', 201, submitted);
    const store = checkpointStore();
    const first = actionContext(
      { spec: validTrainJobSpec },
      { checkpoint: store.checkpoint as any },
    );
    const retry = actionContext(
      { spec: validTrainJobSpec },
      { checkpoint: store.checkpoint as any },
    );
    await action.handler(first);
    await action.handler(retry);
    expect(api.received).toHaveLength(1);
    expect(retry.output).toHaveBeenCalledWith('jobId', 'job-1');
  });

  it('reports a queued job, without links, when a tool is down', async () => {
    api.answer('post', '/training-jobs', 202, {
      status: 'success',
      message: 'Training job queued',
      data: {
        id: 'job-2',
        status: 'queued',
        spec: validTrainJobSpec,
      },
    });
    const ctx = actionContext({ spec: validTrainJobSpec });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('status', 'queued');
    expect(ctx.output).toHaveBeenCalledWith('links', []);
    expect(ctx.output).not.toHaveBeenCalledWith(
      'workflowUrl',
      expect.anything(),
    );
  });

  it('fails with every error when the API refuses an invalid spec', async () => {
    api.answer('post', '/training-jobs', 400, {
      status: 'error',
      message: 'The spec is invalid: 2 error(s)',
      data: {
        errors: [
          {
            path: 'model_family',
            rule: 'model_family.not_allowed',
            message: 'gpt is not allowed',
          },
          {
            path: 'method',
            rule: 'method.not_allowed',
            message: 'lora is not allowed for PRETRAIN',
          },
        ],
      },
    });
    const failure = action.handler(actionContext({ spec: validTrainJobSpec }));
    await expect(failure).rejects.toThrow(
      /model_family \[model_family.not_allowed\]/,
    );
    await expect(failure).rejects.toThrow(/method \[method.not_allowed\]/);
  });

  it('fails with NotAllowedError when the user may not create training jobs', async () => {
    api.answer('post', '/training-jobs', 403, {
      status: 'error',
      message: 'Not allowed: llm-ops.training-job.create',
      data: { name: 'NotAllowedError' },
    });
    await expect(
      action.handler(actionContext({ spec: validTrainJobSpec })),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        'Not allowed: llm-ops.training-job.create',
      ),
    });
  });

  it('in a dry run, validates and reports what it would submit, without submitting', async () => {
    api.answer('post', '/training-jobs/validate', 200, {
      status: 'success',
      message: 'The spec is valid',
      data: { valid: true, errors: [] },
    });
    api.answer('post', '/training-jobs', 201, submitted);
    const ctx = actionContext({ spec: validTrainJobSpec }, { isDryRun: true });
    const info = jest.spyOn(ctx.logger, 'info');
    await action.handler(ctx);
    expect(api.received.map(r => r.path)).toEqual(['/training-jobs/validate']);
    expect(info).toHaveBeenCalledWith(
      expect.stringContaining('Dry run: would submit this TrainJobSpec'),
    );
    expect(ctx.output).toHaveBeenCalledWith('status', 'dry-run');
    expect(ctx.output).toHaveBeenCalledWith(
      'yaml',
      expect.stringContaining('kind: TrainJobSpec'),
    );
  });

  it('in a dry run, fails with the rule codes of an invalid spec', async () => {
    api.answer('post', '/training-jobs/validate', 200, {
      status: 'success',
      message: '1 error(s)',
      data: {
        valid: false,
        errors: [
          {
            path: 'base_model_ref',
            rule: 'base_model_ref.forbidden',
            message: 'must be absent',
          },
        ],
      },
    });
    await expect(
      action.handler(
        actionContext({ spec: validTrainJobSpec }, { isDryRun: true }),
      ),
    ).rejects.toThrow(
      '- base_model_ref [base_model_ref.forbidden]: must be absent',
    );
  });
});
