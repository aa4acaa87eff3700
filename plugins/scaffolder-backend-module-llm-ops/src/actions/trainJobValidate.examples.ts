import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

/** A LoRA fine-tune of Llama 3 8B, shared by the training actions' examples. */
export const exampleTrainJobSpec = {
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
  output: {
    artifact_name: 'support-assistant-v5',
    save_format: 'safetensors',
  },
};

export const examples: TemplateExample[] = [
  {
    description: 'Validates a LoRA fine-tune of Llama 3 8B',
    example: stringify({
      steps: [
        {
          id: 'validate',
          action: 'llmops:trainjob:validate',
          name: 'Validate the TrainJobSpec',
          input: {
            spec: exampleTrainJobSpec,
          },
        },
      ],
    }),
  },
  {
    description: 'Validates a PRETRAIN job, which has no base model',
    example: stringify({
      steps: [
        {
          id: 'validate',
          action: 'llmops:trainjob:validate',
          input: {
            spec: {
              kind: 'TrainJobSpec',
              job_type: 'PRETRAIN',
              model_family: 'qwen',
              dataset_ref: {
                name: 'web-corpus-en',
                version: 'v1',
                type: 'pretrain_corpus',
                storage_uri: 's3://acme-datasets/web-corpus-en',
              },
              hyperparams: {
                lr: 0.0003,
                batch_size: 64,
                num_epochs: 1,
                max_seq_len: 4096,
                precision: 'bf16',
              },
              resources: { gpus: 8, gpu_type: 'nvidia-h100-80gb', nodes: 4 },
              output: { artifact_name: 'qwen-small', save_format: 'hf' },
            },
          },
        },
      ],
    }),
  },
];
