import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Runs a rollback of the deployment picked in the form',
    example: stringify({
      steps: [
        {
          id: 'rollback',
          action: 'llmops:deployment:rollback',
          name: 'Rollback the deployment',
          input: { deploymentId: '${{ parameters.deploymentId }}' },
        },
      ],
    }),
  },
];
