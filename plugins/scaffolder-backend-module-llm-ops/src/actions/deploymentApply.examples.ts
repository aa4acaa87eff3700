import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';
import { exampleDeploymentSpec } from './deploymentValidate.examples';

export const examples: TemplateExample[] = [
  {
    description: 'Creates a canary deployment in dev',
    example: stringify({
      steps: [
        {
          id: 'apply',
          action: 'llmops:deployment:apply',
          name: 'Apply the deployment',
          input: {
            name: 'support-assistant-dev',
            environment: 'dev',
            backend: 'kserve',
            namespace: 'llm-dev',
            spec: exampleDeploymentSpec,
          },
        },
      ],
    }),
  },
  {
    description: 'Applies a new revision (a new model version) of a deployment',
    example: stringify({
      steps: [
        {
          id: 'apply',
          action: 'llmops:deployment:apply',
          input: {
            name: 'support-assistant-dev',
            environment: 'dev',
            deploymentId: '${{ parameters.deploymentId }}',
            spec: exampleDeploymentSpec,
          },
        },
      ],
    }),
  },
];
