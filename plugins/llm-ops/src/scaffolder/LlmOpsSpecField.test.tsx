import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  renderInTestApp,
  TestApiProvider,
  TestApiRegistry,
} from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import { LlmOpsApiClient } from '../api/LlmOpsApiClient';
import { llmOpsApiRef } from '../api/LlmOpsApi';
import { LlmOpsSpecField, llmOpsSpecFieldValidation } from './LlmOpsSpecField';

const baseModel = {
  apiVersion: 'llmops.dev/v1alpha1',
  kind: 'Model',
  metadata: { name: 'llama-3-8b', namespace: 'default' },
  spec: { type: 'base', family: 'llama', maxPositionEmbeddings: 8192 },
};

const tooLong = {
  path: 'hyperparams.max_seq_len',
  rule: 'hyperparams.max_seq_len_exceeds_base_model',
  message: 'hyperparams.max_seq_len 16384 exceeds 8192',
};

/** The validate endpoint: too long above 8192, as the shared rule says. */
const fetchApi = {
  fetch: jest.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
    const { spec } = JSON.parse(String(init?.body));
    const errors = spec.hyperparams?.max_seq_len > 8192 ? [tooLong] : [];
    return new Response(
      JSON.stringify({
        status: 'success',
        message: errors.length ? '1 error(s)' : 'The spec is valid',
        data: { valid: errors.length === 0, errors },
      }),
      { status: 200, headers: { 'Content-Type': 'application/json' } },
    );
  }),
};
const discoveryApi = { getBaseUrl: async () => 'http://portal/api/llm-ops' };
const llmOpsApi = new LlmOpsApiClient({ discoveryApi, fetchApi });
const catalogApi = catalogApiMock({ entities: [baseModel] });

const formValues = (maxSeqLen: number) => ({
  job_type: 'SFT',
  model_family: 'llama',
  base_model_ref: 'model:default/llama-3-8b',
  max_seq_len: maxSeqLen,
});

/** The spec check of the Hyperparameters step, as the form renders it. */
const fieldProps = (maxSeqLen: number) =>
  ({
    name: 'spec_check',
    formData: null,
    schema: { type: 'null', title: 'Spec check' },
    uiSchema: {
      'ui:field': 'LlmOpsSpecField',
      'ui:options': { specKind: 'TrainJobSpec' },
    },
    formContext: { formData: formValues(maxSeqLen) },
    registry: {
      fields: {},
      rootSchema: {
        properties: {
          max_seq_len: { type: 'integer', title: 'Max sequence length' },
        },
      },
    },
    onChange: jest.fn(),
  } as any);

beforeEach(() => fetchApi.fetch.mockClear());

describe('LlmOpsSpecField', () => {
  it('shows the live validation error of a field, with its rule code, and clears it', async () => {
    const apis = [
      [llmOpsApiRef, llmOpsApi],
      [catalogApiRef, catalogApi],
    ] as const;
    const field = (value: number) => (
      <TestApiProvider apis={apis}>
        <LlmOpsSpecField {...fieldProps(value)} />
      </TestApiProvider>
    );
    const { rerender } = await renderInTestApp(field(16384));

    expect(
      await screen.findByText(
        'Max sequence length 16384 exceeds 8192 (rule: hyperparams.max_seq_len_exceeds_base_model)',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Max sequence length')).toBeInTheDocument();
    const [url, init] = fetchApi.fetch.mock.calls[0];
    expect(String(url)).toBe(
      'http://portal/api/llm-ops/v1/training-jobs/validate',
    );
    expect(JSON.parse(String(init?.body)).spec).toMatchObject({
      kind: 'TrainJobSpec',
      job_type: 'SFT',
      base_model_ref: 'model:default/llama-3-8b',
      hyperparams: { max_seq_len: 16384 },
    });

    rerender(field(4096));
    await waitFor(() =>
      expect(screen.queryByTestId('llmops-spec-error')).not.toBeInTheDocument(),
    );
    expect(
      await screen.findByText('The TrainJobSpec passes every rule so far.'),
    ).toBeInTheDocument();
  });

  it('sets its value, so that the step runs its validation on Next', async () => {
    const props = fieldProps(4096);
    props.formData = undefined;
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [llmOpsApiRef, llmOpsApi],
          [catalogApiRef, catalogApi],
        ]}
      >
        <LlmOpsSpecField {...props} />
      </TestApiProvider>,
    );
    await waitFor(() => expect(props.onChange).toHaveBeenCalledWith(null));
  });

  it('says when the API cannot be asked', async () => {
    const failing = {
      validateTrainingJob: async () => {
        throw new Error('llm-ops is down');
      },
    };
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [llmOpsApiRef, failing],
          [catalogApiRef, catalogApi],
        ]}
      >
        <LlmOpsSpecField {...fieldProps(4096)} />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText(
        'Live validation is unavailable: llm-ops is down',
      ),
    ).toBeInTheDocument();
  });
});

describe('llmOpsSpecFieldValidation', () => {
  const context = (
    maxSeqLen: number,
    apis = [
      [llmOpsApiRef, llmOpsApi],
      [catalogApiRef, catalogApi],
    ] as const,
  ) =>
    ({
      apiHolder: TestApiRegistry.from(...(apis as any)),
      formData: formValues(maxSeqLen),
      schema: { type: 'null' },
      uiSchema: { 'ui:options': { specKind: 'TrainJobSpec' } },
    } as any);

  it('keeps the step while the rules find an error in a filled field', async () => {
    const field = { addError: jest.fn() } as any;
    await llmOpsSpecFieldValidation(null, field, context(16384));
    expect(field.addError).toHaveBeenCalledWith(
      'hyperparams.max_seq_len 16384 exceeds 8192 (rule: hyperparams.max_seq_len_exceeds_base_model)',
    );
  });

  it('lets a valid step go', async () => {
    const field = { addError: jest.fn() } as any;
    await llmOpsSpecFieldValidation(null, field, context(4096));
    expect(field.addError).not.toHaveBeenCalled();
  });

  it('lets the step go when the API cannot be asked (it checks again on submit)', async () => {
    const field = { addError: jest.fn() } as any;
    const down = {
      validateTrainingJob: async () => {
        throw new Error('down');
      },
    };
    await llmOpsSpecFieldValidation(
      null,
      field,
      context(16384, [
        [llmOpsApiRef, down],
        [catalogApiRef, catalogApi],
      ] as any),
    );
    expect(field.addError).not.toHaveBeenCalled();
  });
});

describe('the spec check of a DeploymentSpec', () => {
  it('checks the rollout where the form says it would deploy', async () => {
    const validateDeployment = jest.fn(async () => ({
      valid: true,
      errors: [],
    }));
    const field = { addError: jest.fn() } as any;
    await llmOpsSpecFieldValidation(null, field, {
      apiHolder: TestApiRegistry.from(
        [llmOpsApiRef, { validateDeployment }],
        [catalogApiRef, catalogApi],
      ),
      formData: {
        model_ref: 'model:default/llama-3-8b',
        environment: 'prod',
        backend: 'kserve',
        strategy: 'canary',
        traffic_new: 10,
      },
      schema: { type: 'null' },
      uiSchema: { 'ui:options': { specKind: 'DeploymentSpec' } },
    } as any);
    expect(validateDeployment).toHaveBeenCalledWith(
      expect.objectContaining({
        kind: 'DeploymentSpec',
        model_ref: 'model:default/llama-3-8b',
        rollout: { strategy: 'canary', traffic_split: { old: 90, new: 10 } },
      }),
      { environment: 'prod', backend: 'kserve' },
    );
  });
});
