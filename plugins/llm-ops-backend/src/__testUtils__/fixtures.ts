import { Entity } from '@backstage/catalog-model';

export const baseModel: Entity = {
  apiVersion: 'llmops.dev/v1alpha1',
  kind: 'Model',
  metadata: { name: 'llama-3-8b', namespace: 'default' },
  spec: {
    type: 'base', family: 'llama', owner: 'group:ml-platform', lifecycle: 'production',
    maxPositionEmbeddings: 8192, source: 'hf://meta-llama/Meta-Llama-3-8B',
  },
};

export const fineTuned: Entity = {
  apiVersion: 'llmops.dev/v1alpha1',
  kind: 'Model',
  metadata: { name: 'llama-3-8b-sft', namespace: 'default' },
  spec: {
    type: 'fine-tuned', family: 'llama', owner: 'group:nlp', lifecycle: 'production',
    maxPositionEmbeddings: 8192, source: 'mlflow://models/support/3',
    jobType: 'SFT', baseModel: 'model:default/llama-3-8b',
    serving: { minGpus: 1, minGpuMemoryGb: 24 },
  },
};

export function trainJobSpec(overrides: Record<string, unknown> = {}) {
  return {
    kind: 'TrainJobSpec',
    job_type: 'SFT',
    model_family: 'llama',
    base_model_ref: 'model:default/llama-3-8b',
    dataset_ref: { name: 'support-chats', version: 'v3', type: 'sft_pair', storage_uri: 's3://datasets/support-chats/v3' },
    hyperparams: { lr: 2e-5, batch_size: 8, num_epochs: 3, max_seq_len: 4096, precision: 'bf16' },
    method: 'lora',
    resources: { gpus: 4, gpu_type: 'nvidia-a100-80gb', nodes: 1 },
    output: { artifact_name: 'llama-3-8b-support-sft', save_format: 'safetensors' },
    ...overrides,
  };
}

export function deploymentSpec(
  split = { old: 90, new: 10 },
  strategy: 'canary' | 'blue-green' | 'rolling' | 'recreate' = 'canary',
) {
  return {
    kind: 'DeploymentSpec',
    model_ref: 'model:default/llama-3-8b-sft',
    model_family: 'llama',
    job_type: 'SFT',
    resources: { gpus: 1, gpu_memory_gb: 80 },
    runtime: { max_concurrent_requests: 64, max_input_tokens: 6144, max_output_tokens: 1024 },
    rollout: { strategy, traffic_split: split },
  };
}
