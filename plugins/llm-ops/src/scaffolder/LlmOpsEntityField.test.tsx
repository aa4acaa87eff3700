import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { llmOpsApiRef } from '../api/LlmOpsApi';
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
const registered = {
  apiVersion: 'llmops.dev/v1alpha1',
  kind: 'Model',
  metadata: {
    name: 'support-assistant-v2',
    namespace: 'default',
    annotations: { 'llmops.dev/mlflow-model': 'support-assistant' },
  },
  spec: {
    type: 'fine-tuned',
    family: 'llama',
    jobType: 'SFT',
    maxPositionEmbeddings: 8192,
    source: 'mlflow://models/support-assistant/4',
    // the catalog's copy, as last synced from MLflow
    registry: {
      versions: [{ version: '1' }, { version: '2' }],
      aliases: { champion: '1' },
    },
  },
};
const hfModel = {
  ...baseModel,
  metadata: { name: 'mistral-7b', namespace: 'default' },
  spec: { ...baseModel.spec, source: 'hf://mistralai/Mistral-7B-v0.3' },
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

/** MLflow's registry as the API reads it, or down. */
const mlflowUp = {
  getRegisteredModel: async (name: string) => ({
    name,
    aliases: { champion: '3' },
    versions: ['1', '2', '3'].map(version => ({ version, status: 'READY' })),
    stale: false,
  }),
};
const mlflowDown = {
  getRegisteredModel: async () => {
    throw new Error('mlflow: connection refused');
  },
};

function render(props: unknown, llmOps: object = mlflowUp) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [
          catalogApiRef,
          catalogApiMock({
            entities: [baseModel, fineTuned, registered, hfModel, dataset],
          }),
        ],
        [llmOpsApiRef, llmOps],
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

  it("offers the registry's aliases and versions of the model picked in another field, champion first when none is set", async () => {
    const props = fieldProps(
      'model_version',
      undefined,
      { type: 'string', title: 'Model version' },
      { registryVersionsOf: 'model_ref' },
      { model_ref: 'model:default/support-assistant-v2' },
    );
    await render(props);
    expect(
      await screen.findByText(
        "From MLflow's registry (support-assistant). An alias is pinned to the version it points at when you deploy.",
      ),
    ).toBeInTheDocument();
    expect(
      JSON.parse(screen.getByTestId('inner-schema').textContent!).enum,
    ).toEqual(['@champion', '3', '2', '1']);
    expect(
      JSON.parse(screen.getByTestId('inner-ui').textContent!)['ui:options']
        .enumNames,
    ).toEqual([
      '@champion (version 3)',
      'Version 3 (READY, @champion)',
      'Version 2 (READY)',
      'Version 1 (READY)',
    ]);
    expect(props.onChange).toHaveBeenCalledWith('@champion');
  });

  it("falls back on the catalog's copy of the registry while MLflow is down, and says so", async () => {
    const props = fieldProps(
      'model_version',
      '7',
      { type: 'string', title: 'Model version' },
      { registryVersionsOf: 'model_ref' },
      { model_ref: 'model:default/support-assistant-v2' },
    );
    await render(props, mlflowDown);
    expect(
      await screen.findByText(
        "Can't reach MLflow (mlflow: connection refused): these are the catalog's copy of the registry; the version is checked again when it is deployed.",
      ),
    ).toBeInTheDocument();
    // a value the registry does not list stays, marked
    expect(
      JSON.parse(screen.getByTestId('inner-ui').textContent!)['ui:options']
        .enumNames,
    ).toEqual([
      '@champion (version 1)',
      'Version 2',
      'Version 1 (@champion)',
      '7 (not in the registry)',
    ]);
    expect(props.onChange).not.toHaveBeenCalled();
  });

  it('says why a model that is not in the registry has no versions to pick', async () => {
    await render(
      fieldProps(
        'model_version',
        undefined,
        { type: 'string', title: 'Model version' },
        { registryVersionsOf: 'model_ref' },
        { model_ref: 'model:default/mistral-7b' },
      ),
    );
    expect(
      await screen.findByText(
        "mistral-7b is not in MLflow's model registry, so there is no version to pick: its catalog source (hf://mistralai/Mistral-7B-v0.3) is served.",
      ),
    ).toBeInTheDocument();
    expect(
      JSON.parse(screen.getByTestId('inner-schema').textContent!),
    ).not.toHaveProperty('enum');
  });
});
