import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

/** The examples of `llmops:deployment:promote` or `:rollback`. */
export function shiftTrafficExamples(
  direction: 'promote' | 'rollback',
): TemplateExample[] {
  const step = {
    id: direction,
    action: `llmops:deployment:${direction}`,
    name:
      direction === 'promote'
        ? 'Promote the deployment'
        : 'Roll the deployment back',
  };
  return [
    {
      description: `Runs a ${direction} of the Deployment entity picked in the form (an EntityPicker with catalogFilter kind Deployment); the action finds the LLM Ops deployment of that name`,
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
            ...step,
            input: { deployment: '${{ parameters.deployment }}' },
          },
        ],
      }),
    },
    {
      description: `Runs a ${direction} of a Deployment entity given by its ref (or by its bare name, such as support-assistant-prod)`,
      example: stringify({
        steps: [
          {
            ...step,
            input: { deployment: 'deployment:default/support-assistant-prod' },
          },
        ],
      }),
    },
    {
      description: `Runs a ${direction} of a deployment given by the id the LLM Ops API gave it (for scripts)`,
      example: stringify({
        steps: [
          {
            ...step,
            input: { deploymentId: '${{ parameters.deploymentId }}' },
          },
        ],
      }),
    },
  ];
}
