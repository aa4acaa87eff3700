import { createDeploymentPromoteAction } from './deploymentPromote';
import { createDeploymentRollbackAction } from './deploymentRollback';
import {
  actionContext,
  actionDeps,
  exampleInputs,
  setupApi,
  userToken,
} from './__testUtils__/apiMock';

describe.each([
  ['promote', createDeploymentPromoteAction, { old: 0, new: 100 }],
  ['rollback', createDeploymentRollbackAction, { old: 100, new: 0 }],
] as const)('llmops:deployment:%s examples', (direction, create, target) => {
  const api = setupApi();
  const action = create(actionDeps());
  const cases = exampleInputs(action, {
    deployment: 'deployment:default/support-assistant-prod',
    deploymentId: 'dep-1',
  });

  it('has examples', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases)('$description', async ({ input }) => {
    api.answerDeploymentList([
      { id: 'dep-1', name: 'support-assistant-prod', environment: 'prod' },
      { id: 'dep-2', name: 'support-assistant-dev', environment: 'dev' },
    ]);
    api.answer('post', `/deployments/dep-1/${direction}`, 200, {
      status: 'success',
      message: 'Deployment deployed',
      data: { id: 'dep-1', status: 'deployed' },
    });
    const ctx = actionContext(input);
    await action.handler(ctx);

    expect(api.received.at(-1)).toMatchObject({
      method: 'POST',
      path: `/deployments/dep-1/${direction}`,
      authorization: userToken(),
    });
    expect(ctx.output).toHaveBeenCalledWith('deploymentId', 'dep-1');
    expect(ctx.output).toHaveBeenCalledWith('trafficSplit', target);
  });
});
