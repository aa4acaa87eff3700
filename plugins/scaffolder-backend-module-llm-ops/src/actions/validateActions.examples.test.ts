import { createDeploymentValidateAction } from './deploymentValidate';
import { createTrainJobValidateAction } from './trainJobValidate';
import {
  actionContext,
  actionDeps,
  exampleInputs,
  setupApi,
  userToken,
} from './__testUtils__/apiMock';

// The two validate actions differ only in their endpoint and extra output.
describe.each([
  {
    id: 'llmops:trainjob:validate',
    create: createTrainJobValidateAction,
    path: '/training-jobs/validate',
    output: (input: { spec: unknown }) => ['spec', input.spec],
  },
  {
    id: 'llmops:deployment:validate',
    create: createDeploymentValidateAction,
    path: '/deployments/validate',
    output: () => ['serveTarget', 'GENERATION'],
  },
])('$id examples', ({ create, path, output }) => {
  const api = setupApi();
  const action = create(actionDeps());
  const cases = exampleInputs(action);

  it('has examples', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases)('$description', async ({ input }) => {
    api.answer('post', path, 200, {
      status: 'success',
      message: 'The spec is valid',
      data: { valid: true, errors: [] },
    });
    const ctx = actionContext(input);
    await action.handler(ctx);

    expect(api.received).toEqual([
      expect.objectContaining({
        method: 'POST',
        path,
        body: { spec: input.spec },
        authorization: userToken(),
      }),
    ]);
    expect(ctx.output).toHaveBeenCalledWith('valid', true);
    expect(ctx.output).toHaveBeenCalledWith(...output(input));
  });
});
