import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Runs a promote of the Deployment entity picked in the form (an EntityPicker with catalogFilter kind Deployment); the action finds the LLM Ops deployment of that name',
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
          id: 'promote',
          action: 'llmops:deployment:promote',
          name: 'Promote the deployment',
          input: { deployment: '${{ parameters.deployment }}' },
        },
      ],
    }),
  },
  {
    description:
      'Runs a promote of a Deployment entity given by its ref (or by its bare name, such as support-assistant-prod)',
    example: stringify({
      steps: [
        {
          id: 'promote',
          action: 'llmops:deployment:promote',
          name: 'Promote the deployment',
          input: { deployment: 'deployment:default/support-assistant-prod' },
        },
      ],
    }),
  },
  {
    description:
      'Runs a promote of a deployment given by the id the LLM Ops API gave it (for scripts)',
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
