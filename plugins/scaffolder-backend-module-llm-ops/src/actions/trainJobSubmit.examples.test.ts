import { createTrainJobSubmitAction } from './trainJobSubmit';
import {
  actionContext,
  actionDeps,
  exampleInputs,
  setupApi,
  userToken,
  validTrainJobSpec,
} from './__testUtils__/apiMock';

describe('llmops:trainjob:submit examples', () => {
  const api = setupApi();
  const action = createTrainJobSubmitAction(actionDeps());
  const cases = exampleInputs(action, { spec: validTrainJobSpec });

  it('has examples', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases)('$description', async ({ input }) => {
    api.answer('post', '/training-jobs', 201, {
      status: 'success',
      message: 'Training job submitted',
      data: {
        id: 'job-1',
        status: 'submitted',
        spec: input.spec,
        workflow: {
          tool: 'argo',
          id: 'llmops-job-1',
          url: 'http://argo.test/workflows/ml/llmops-job-1',
        },
        run: {
          tool: 'mlflow',
          id: 'run-1',
          experimentId: '1',
          url: 'http://mlflow.test/#/runs/run-1',
        },
      },
    });
    const ctx = actionContext(input);
    await action.handler(ctx);

    expect(api.received).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/training-jobs',
        body: { spec: input.spec },
        authorization: userToken(),
      }),
    ]);
    expect(ctx.output).toHaveBeenCalledWith('jobId', 'job-1');
    expect(ctx.output).toHaveBeenCalledWith(
      'workflowUrl',
      'http://argo.test/workflows/ml/llmops-job-1',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'runUrl',
      'http://mlflow.test/#/runs/run-1',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'yaml',
      expect.stringContaining('kind: TrainJobSpec'),
    );
  });
});
