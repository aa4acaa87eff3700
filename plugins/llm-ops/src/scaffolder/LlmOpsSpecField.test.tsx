import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import { LlmOpsSpecField } from './LlmOpsSpecField';

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
  fetch: jest.fn(async (_url: string, init?: RequestInit) => {
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

function Inner(props: { formData?: number; schema: { title?: string } }) {
  return (
    <label>
      {props.schema.title}
      <input readOnly value={props.formData ?? ''} />
    </label>
  );
}

const fieldProps = (maxSeqLen: number) =>
  ({
    name: 'max_seq_len',
    formData: maxSeqLen,
    schema: { type: 'integer', title: 'Max sequence length' },
    uiSchema: {
      'ui:field': 'LlmOpsSpecField',
      'ui:options': {
        specKind: 'TrainJobSpec',
        contextLengthOf: 'base_model_ref',
      },
    },
    formContext: {
      formData: {
        job_type: 'SFT',
        model_family: 'llama',
        base_model_ref: 'model:default/llama-3-8b',
      },
    },
    registry: { fields: { NumberField: Inner }, rootSchema: {} },
    onChange: jest.fn(),
  } as any);

describe('LlmOpsSpecField', () => {
  it('shows the live validation error of its field, with its rule code, and clears it', async () => {
    const apis = [
      [
        discoveryApiRef,
        { getBaseUrl: async () => 'http://portal/api/llm-ops' },
      ],
      [fetchApiRef, fetchApi],
      [catalogApiRef, catalogApiMock({ entities: [baseModel] })],
    ] as const;
    const field = (value: number) => (
      <TestApiProvider apis={apis as any}>
        <LlmOpsSpecField {...fieldProps(value)} />
      </TestApiProvider>
    );
    const { rerender } = await renderInTestApp(field(16384));

    expect(
      await screen.findByText(
        'hyperparams.max_seq_len 16384 exceeds 8192 (hyperparams.max_seq_len_exceeds_base_model)',
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(
        'At most 8192: the context length of model:default/llama-3-8b',
      ),
    ).toBeInTheDocument();
    const [url, init] = fetchApi.fetch.mock.calls[0];
    expect(url).toBe('http://portal/api/llm-ops/v1/training-jobs/validate');
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
  });
});
