import { createTrainJobValidateAction } from './trainJobValidate';
import {
  actionContext,
  actionDeps,
  setupApi,
  userToken,
  validTrainJobSpec,
} from './__testUtils__/apiMock';

describe('llmops:trainjob:validate', () => {
  const api = setupApi();
  const action = createTrainJobValidateAction(actionDeps());

  it('supports dry runs', () => {
    expect(action.id).toBe('llmops:trainjob:validate');
    expect(action.supportsDryRun).toBe(true);
  });

  it('validates through the API as the user and outputs the spec and its YAML', async () => {
    api.answer('post', '/training-jobs/validate', 200, {
      status: 'success',
      message: 'The spec is valid',
      data: { valid: true, errors: [] },
    });
    const ctx = actionContext({ spec: validTrainJobSpec });
    await action.handler(ctx);

    expect(api.received).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/training-jobs/validate',
        body: { spec: validTrainJobSpec },
        authorization: userToken(),
      }),
    ]);
    expect(ctx.output).toHaveBeenCalledWith('valid', true);
    expect(ctx.output).toHaveBeenCalledWith('spec', validTrainJobSpec);
    expect(ctx.output).toHaveBeenCalledWith(
      'yaml',
      expect.stringContaining('kind: TrainJobSpec\njob_type: SFT\n'),
    );
  });

  it('fails the step with every error, with its rule code', async () => {
    api.answer('post', '/training-jobs/validate', 200, {
      status: 'success',
      message: '2 error(s)',
      data: {
        valid: false,
        errors: [
          {
            path: 'hyperparams.max_seq_len',
            rule: 'hyperparams.max_seq_len_exceeds_base_model',
            message: 'hyperparams.max_seq_len 16384 exceeds 8192',
          },
          {
            path: 'dataset_ref.type',
            rule: 'dataset_ref.type_mismatch',
            message: 'dataset_ref.type must be sft_pair',
          },
        ],
      },
    });
    const ctx = actionContext({ spec: validTrainJobSpec });
    const failure = action.handler(ctx);
    await expect(failure).rejects.toThrow(
      'The TrainJobSpec is invalid (2 errors):\n' +
        '- hyperparams.max_seq_len [hyperparams.max_seq_len_exceeds_base_model]: hyperparams.max_seq_len 16384 exceeds 8192\n' +
        '- dataset_ref.type [dataset_ref.type_mismatch]: dataset_ref.type must be sft_pair',
    );
    await expect(failure).rejects.toMatchObject({ name: 'InputError' });
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it('validates in a dry run too, since validation has no side effect', async () => {
    api.answer('post', '/training-jobs/validate', 200, {
      status: 'success',
      message: 'The spec is valid',
      data: { valid: true, errors: [] },
    });
    const ctx = actionContext({ spec: validTrainJobSpec }, { isDryRun: true });
    await action.handler(ctx);
    expect(api.received).toHaveLength(1);
    expect(ctx.output).toHaveBeenCalledWith('valid', true);
  });

  it('reports an API failure with its status', async () => {
    api.answer('post', '/training-jobs/validate', 400, {
      status: 'error',
      message: 'request/body must have required property spec',
      data: {},
    });
    await expect(
      action.handler(actionContext({ spec: validTrainJobSpec })),
    ).rejects.toMatchObject({
      name: 'InputError',
      status: 400,
      message: 'request/body must have required property spec',
    });
  });
});
