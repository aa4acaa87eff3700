import { createTrainJobValidateAction } from './trainJobValidate';
import {
  actionContext,
  actionDeps,
  exampleInputs,
  setupApi,
  userToken,
} from './__testUtils__/apiMock';

describe('llmops:trainjob:validate examples', () => {
  const api = setupApi();
  const action = createTrainJobValidateAction(actionDeps());
  const cases = exampleInputs(action);

  it('has examples', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases)('$description', async ({ input }) => {
    api.answer('post', '/training-jobs/validate', 200, {
      status: 'success',
      message: 'The spec is valid',
      data: { valid: true, errors: [] },
    });
    const ctx = actionContext(input);
    await action.handler(ctx);

    expect(api.received).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/training-jobs/validate',
        body: { spec: input.spec },
        authorization: userToken(),
      }),
    ]);
    expect(ctx.output).toHaveBeenCalledWith('valid', true);
    expect(ctx.output).toHaveBeenCalledWith('spec', input.spec);
  });
});
