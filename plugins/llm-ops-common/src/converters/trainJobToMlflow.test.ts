import { readFixture } from '../specs/__testUtils__/builders';
import type { TrainJobSpec } from '../specs';
import { ConversionError } from './ConversionError';
import { mlflowToTrainJob, trainJobToMlflow } from './trainJobToMlflow';
import { thrown } from './__testUtils__/thrown';

const sft = readFixture('train-sft.valid.yaml')[0] as TrainJobSpec;
const pretrain = readFixture('train-pretrain.valid.yaml')[0] as TrainJobSpec;

describe('trainJobToMlflow', () => {
  it('gives the experiment, params and tags', () => {
    expect(trainJobToMlflow(sft)).toEqual({
      experiment_name: 'llmops-llama-sft',
      run_name: 'llama-3-8b-support-sft',
      params: {
        lr: '0.00002',
        batch_size: '8',
        num_epochs: '3',
        max_seq_len: '8192',
        precision: 'bf16',
        method: 'lora',
      },
      tags: {
        'llmops.job_type': 'SFT',
        'llmops.model_family': 'llama',
        'llmops.base_model_ref': 'model:default/llama-3-8b',
        'llmops.dataset_ref': 'support-chats',
        'llmops.dataset_version': 'v3',
        'llmops.dataset_type': 'sft_pair',
        'llmops.dataset_uri': 's3://datasets/support-chats/v3',
        'llmops.artifact_name': 'llama-3-8b-support-sft',
        'llmops.save_format': 'safetensors',
        'llmops.gpus': '4',
        'llmops.gpu_type': 'nvidia-a100-80gb',
        'llmops.nodes': '1',
        'llmops.image': 'registry/llm-train-sft:pytorch2.1-cuda12.1-v1',
      },
    });
  });

  it('records the defaulted method and the cpu image', () => {
    const run = trainJobToMlflow(pretrain, { gpuAvailable: false });
    expect(run.experiment_name).toBe('llmops-qwen-pretrain');
    expect(run.params.method).toBe('full');
    expect(run.tags).toEqual(
      expect.objectContaining({
        'llmops.defaulted_fields': 'method',
        'llmops.image': 'registry/llm-train-pretrain:pytorch2.1-cpu-v1',
      }),
    );
    expect(run.tags['llmops.base_model_ref']).toBeUndefined();
  });
});

describe('mlflowToTrainJob', () => {
  it('reads MLflow key/value lists as well as maps', () => {
    const run = trainJobToMlflow(sft);
    const list = (map: Record<string, string>) =>
      Object.entries(map).map(([key, value]) => ({ key, value }));
    expect(
      mlflowToTrainJob({ params: list(run.params), tags: list(run.tags) }),
    ).toStrictEqual(sft);
  });

  it('names the param or tag that is missing or malformed', () => {
    const run = trainJobToMlflow(sft);
    const { 'llmops.job_type': _, ...tags } = run.tags;
    expect(thrown(() => mlflowToTrainJob({ ...run, tags }))).toEqual(
      new ConversionError(
        'tags["llmops.job_type"]',
        'tags["llmops.job_type"] is missing: expected one of PRETRAIN, SFT, RAG_TUNING, RLHF, EMBEDDING',
      ),
    );
    const params = { ...run.params, batch_size: 'eight' };
    expect(thrown(() => mlflowToTrainJob({ ...run, params }))).toEqual(
      expect.objectContaining({
        path: 'params["batch_size"]',
        message: 'params["batch_size"] must be a positive integer, got "eight"',
      }),
    );
  });
});
