import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Runs a rollback of the Deployment entity picked in the form (an EntityPicker with catalogFilter kind Deployment); the action finds the LLM Ops deployment of that name',
    example: stringify({
      parameters: [
        {
          title: 'Deployment',
          required: ['deployment'],
          properties: {
            deployment: {
              title: 'Deployment',
              type: 'string',
              'ui:field': 'EntityPicker',
              'ui:options': {
                catalogFilter: { kind: 'Deployment' },
                defaultKind: 'Deployment',
                allowArbitraryValues: false,
              },
            },
          },
        },
      ],
      steps: [
        {
          id: 'rollback',
          action: 'llmops:deployment:rollback',
          name: 'Roll the deployment back',
          input: { deployment: '${{ parameters.deployment }}' },
        },
      ],
    }),
  },
  {
    description:
      'Runs a rollback of a Deployment entity given by its ref (or by its bare name, such as support-assistant-prod)',
    example: stringify({
      steps: [
        {
          id: 'rollback',
          action: 'llmops:deployment:rollback',
          name: 'Roll the deployment back',
          input: { deployment: 'deployment:default/support-assistant-prod' },
        },
      ],
    }),
  },
  {
    description:
      'Runs a rollback of a deployment given by the id the LLM Ops API gave it (for scripts)',
    example: stringify({
      steps: [
        {
          id: 'rollback',
          action: 'llmops:deployment:rollback',
          name: 'Roll the deployment back',
          input: { deploymentId: '${{ parameters.deploymentId }}' },
        },
      ],
    }),
  },
];
