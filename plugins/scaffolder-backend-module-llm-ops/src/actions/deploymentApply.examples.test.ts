import { createDeploymentApplyAction } from './deploymentApply';
import {
  actionContext,
  actionDeps,
  exampleInputs,
  setupApi,
  userToken,
} from './__testUtils__/apiMock';

const deployed = {
  status: 'success',
  message: 'Deployment deployed',
  data: { id: 'dep-1', status: 'deployed' },
};

describe('llmops:deployment:apply examples', () => {
  const api = setupApi();
  const action = createDeploymentApplyAction(actionDeps());
  const cases = exampleInputs(action, { deploymentId: 'dep-1' });

  it('has examples', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases)('$description', async ({ input }) => {
    api.answer('post', '/deployments', 201, deployed);
    api.answer('put', '/deployments/dep-1', 200, deployed);
    const ctx = actionContext(input);
    await action.handler(ctx);

    const { deploymentId, ...request } = input;
    const expected = deploymentId
      ? {
          method: 'PUT',
          path: `/deployments/${deploymentId}`,
          body: { spec: input.spec },
        }
      : { method: 'POST', path: '/deployments', body: request };
    expect(api.received).toEqual([
      expect.objectContaining({ ...expected, authorization: userToken() }),
    ]);
    expect(ctx.output).toHaveBeenCalledWith('deploymentId', 'dep-1');
    expect(ctx.output).toHaveBeenCalledWith('status', 'deployed');
  });
});
