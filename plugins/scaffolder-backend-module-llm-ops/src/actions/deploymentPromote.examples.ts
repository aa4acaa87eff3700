import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Runs a promote of the deployment picked in the form',
    example: stringify({
      steps: [
        {
          id: 'promote',
          action: 'llmops:deployment:promote',
          name: 'Promote the deployment',
          input: { deploymentId: '${{ parameters.deploymentId }}' },
        },
      ],
    }),
  },
];
