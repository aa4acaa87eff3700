import {
  fieldOfPath,
  resolveCatalogFilter,
  specFromForm,
} from './specFromForm';

describe('resolveCatalogFilter', () => {
  it('resolves parameters, and the dataset type of a job type', () => {
    expect(
      resolveCatalogFilter(
        {
          kind: 'Model',
          'spec.family': '${{ parameters.model_family }}',
          'spec.type': '${{ parameters.job_type | datasetType }}',
        },
        { model_family: 'llama', job_type: 'RAG_TUNING' },
      ),
    ).toEqual({ kind: 'Model', 'spec.family': 'llama', 'spec.type': 'rag_qa' });
  });

  it('matches nothing while the named field is empty', () => {
    expect(
      resolveCatalogFilter(
        { 'spec.family': '${{ parameters.model_family }}' },
        {},
      ),
    ).toEqual({ 'spec.family': '-' });
  });
});

describe('specFromForm', () => {
  const dataset = {
    apiVersion: 'llmops.dev/v1alpha1',
    kind: 'Dataset',
    metadata: { name: 'support-tickets-sft' },
    spec: {
      type: 'sft_pair',
      storageUri: 's3://acme-datasets/support-tickets-sft',
    },
  };

  it('builds the TrainJobSpec the template builds', () => {
    const spec = specFromForm(
      'TrainJobSpec',
      {
        job_type: 'SFT',
        model_family: 'llama',
        base_model_ref: 'model:default/llama-3-8b',
        dataset: 'dataset:default/support-tickets-sft',
        dataset_version: 'v3',
        lr: 0.0002,
        batch_size: 8,
        num_epochs: 3,
        max_seq_len: 4096,
        precision: 'bf16',
        method: 'lora',
        gpus: 1,
        gpu_type: 'nvidia-a100-80gb',
        nodes: 1,
        artifact_name: 'x',
        save_format: 'hf',
      },
      () => dataset,
    );
    expect(spec).toEqual({
      kind: 'TrainJobSpec',
      job_type: 'SFT',
      model_family: 'llama',
      base_model_ref: 'model:default/llama-3-8b',
      dataset_ref: {
        name: 'support-tickets-sft',
        version: 'v3',
        type: 'sft_pair',
        storage_uri: 's3://acme-datasets/support-tickets-sft',
      },
      hyperparams: {
        lr: 0.0002,
        batch_size: 8,
        num_epochs: 3,
        max_seq_len: 4096,
        precision: 'bf16',
      },
      method: 'lora',
      resources: { gpus: 1, gpu_type: 'nvidia-a100-80gb', nodes: 1 },
      output: { artifact_name: 'x', save_format: 'hf' },
    });
  });

  it('sends no base model for PRETRAIN', () => {
    const spec = specFromForm(
      'TrainJobSpec',
      { job_type: 'PRETRAIN', base_model_ref: 'model:default/llama-3-8b' },
      () => undefined,
    );
    expect(spec.base_model_ref).toBeNull();
  });

  it('leaves model_version out when none is picked: the catalog source is served', () => {
    const spec = specFromForm(
      'DeploymentSpec',
      { model_ref: 'model:default/m', model_version: '' },
      () => undefined,
    );
    expect(spec).not.toHaveProperty('model_version');
  });

  it('builds the DeploymentSpec from the model entity and the canary share', () => {
    const spec = specFromForm(
      'DeploymentSpec',
      {
        model_ref: 'model:default/m',
        model_version: '@champion',
        strategy: 'canary',
        traffic_new: 10,
        gpus: 1,
      },
      () => ({
        apiVersion: 'llmops.dev/v1alpha1',
        kind: 'Model',
        metadata: { name: 'm' },
        spec: { family: 'llama', jobType: 'SFT' },
      }),
    );
    expect(spec).toMatchObject({
      model_family: 'llama',
      job_type: 'SFT',
      model_version: '@champion',
      resources: { gpus: 1 },
      rollout: { strategy: 'canary', traffic_split: { old: 90, new: 10 } },
    });
  });
});

describe('fieldOfPath', () => {
  it.each([
    ['TrainJobSpec', 'hyperparams.max_seq_len', 'max_seq_len'],
    ['TrainJobSpec', 'dataset_ref.type', 'dataset'],
    ['TrainJobSpec', 'dataset_ref.version', 'dataset_version'],
    ['TrainJobSpec', 'base_model_ref', 'base_model_ref'],
    ['TrainJobSpec', 'model_family', 'model_family'],
    ['DeploymentSpec', 'model_family', 'model_ref'],
    ['DeploymentSpec', 'rollout.traffic_split.old', 'traffic_new'],
    ['DeploymentSpec', 'runtime.max_input_tokens', 'max_input_tokens'],
  ] as const)('%s %s is shown under %s', (kind, path, field) => {
    expect(fieldOfPath(kind, path)).toBe(field);
  });
});
