import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

/** A canary DeploymentSpec, shared by the deployment actions' examples. */
export const exampleDeploymentSpec = {
  kind: 'DeploymentSpec',
  model_ref: 'model:default/support-assistant-llama-3-8b',
  model_family: 'llama',
  job_type: 'SFT',
  resources: { gpus: 1, gpu_memory_gb: 80 },
  runtime: {
    max_concurrent_requests: 32,
    max_input_tokens: 6144,
    max_output_tokens: 1024,
  },
  rollout: { strategy: 'canary', traffic_split: { old: 90, new: 10 } },
};

export const examples: TemplateExample[] = [
  {
    description: 'Validates a canary deployment of a fine-tuned model',
    example: stringify({
      steps: [
        {
          id: 'validate',
          action: 'llmops:deployment:validate',
          name: 'Validate the DeploymentSpec',
          input: { spec: exampleDeploymentSpec },
        },
      ],
    }),
  },
];
