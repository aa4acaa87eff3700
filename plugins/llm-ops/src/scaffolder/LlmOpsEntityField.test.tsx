import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { LlmOpsEntityField } from './LlmOpsEntityField';

const baseModel = {
  apiVersion: 'llmops.dev/v1alpha1',
  kind: 'Model',
  metadata: { name: 'llama-3-8b', namespace: 'default' },
  spec: { type: 'base', family: 'llama', maxPositionEmbeddings: 8192 },
};
const fineTuned = {
  apiVersion: 'llmops.dev/v1alpha1',
  kind: 'Model',
  metadata: { name: 'support-assistant', namespace: 'default' },
  spec: {
    type: 'fine-tuned',
    family: 'llama',
    jobType: 'SFT',
    maxPositionEmbeddings: 8192,
    serving: { minGpus: 1, minGpuMemoryGb: 24 },
  },
};
const dataset = {
  apiVersion: 'llmops.dev/v1alpha1',
  kind: 'Dataset',
  metadata: { name: 'support-tickets-sft', namespace: 'default' },
  spec: { type: 'sft_pair', versions: [{ version: 'v2' }, { version: 'v3' }] },
};

/** Stands for the inner field: shows what it is given. */
function Inner(props: {
  formData?: unknown;
  schema: { title?: string; maximum?: number };
  uiSchema: Record<string, unknown>;
}) {
  return (
    <div>
      <label>
        {props.schema.title}
        <input readOnly value={String(props.formData ?? '')} />
      </label>
      <pre data-testid="inner-schema">{JSON.stringify(props.schema)}</pre>
      <pre data-testid="inner-ui">{JSON.stringify(props.uiSchema)}</pre>
    </div>
  );
}

const fieldProps = (
  name: string,
  formData: unknown,
  schema: Record<string, unknown>,
  options: Record<string, unknown>,
  values: Record<string, unknown>,
) =>
  ({
    name,
    formData,
    schema,
    uiSchema: { 'ui:field': 'LlmOpsEntityField', 'ui:options': options },
    formContext: { formData: values },
    registry: {
      fields: { NumberField: Inner, StringField: Inner, EntityPicker: Inner },
      rootSchema: {},
    },
    onChange: jest.fn(),
  } as any);

function render(props: unknown) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [
          catalogApiRef,
          catalogApiMock({ entities: [baseModel, fineTuned, dataset] }),
        ],
      ]}
    >
      <LlmOpsEntityField {...(props as any)} />
    </TestApiProvider>,
  );
}

describe('LlmOpsEntityField', () => {
  it('bounds a number by the context length of the model picked in another field', async () => {
    await render(
      fieldProps(
        'max_seq_len',
        4096,
        { type: 'integer', title: 'Max sequence length' },
        { contextLengthOf: 'base_model_ref' },
        { base_model_ref: 'model:default/llama-3-8b' },
      ),
    );
    expect(
      await screen.findByText(
        'At most 8192: the context length of model:default/llama-3-8b',
      ),
    ).toBeInTheDocument();
    expect(
      JSON.parse(screen.getByTestId('inner-schema').textContent!),
    ).toMatchObject({ maximum: 8192 });
  });

  it('renders an EntityPicker with the filter resolved from the form', async () => {
    await render(
      fieldProps(
        'dataset',
        undefined,
        { type: 'string', title: 'Dataset' },
        {
          catalogFilter: {
            kind: 'Dataset',
            'spec.type': '${{ parameters.job_type | datasetType }}',
          },
          defaultKind: 'Dataset',
        },
        { job_type: 'SFT' },
      ),
    );
    expect(
      JSON.parse((await screen.findByTestId('inner-ui')).textContent!),
    ).toEqual({
      'ui:options': {
        defaultKind: 'Dataset',
        catalogFilter: { kind: 'Dataset', 'spec.type': 'sft_pair' },
      },
    });
  });

  it("shows the picked model's facts, with the derived serve target", async () => {
    await render(
      fieldProps(
        'model_ref',
        'model:default/support-assistant',
        { type: 'string', title: 'Model' },
        { showModel: true, catalogFilter: { kind: 'Model' } },
        {},
      ),
    );
    expect(await screen.findByTestId('llmops-model-facts')).toHaveTextContent(
      'family llama · trained by SFT · serve target GENERATION (derived) · context length 8192 · needs 1 GPU(s) of 24 GB',
    );
  });

  it('lists the versions of the dataset picked in another field', async () => {
    await render(
      fieldProps(
        'dataset_version',
        'v9',
        { type: 'string', title: 'Dataset version' },
        { versionsOf: 'dataset' },
        { dataset: 'dataset:default/support-tickets-sft' },
      ),
    );
    expect(
      await screen.findByText(
        'Versions of dataset:default/support-tickets-sft: v2, v3 (v9 is not one of them)',
      ),
    ).toBeInTheDocument();
  });
});
