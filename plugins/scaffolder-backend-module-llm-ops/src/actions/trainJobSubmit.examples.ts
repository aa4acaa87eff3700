import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Validates, then submits the spec; the output links to the Argo workflow and the MLflow run',
    example: stringify({
      steps: [
        {
          id: 'validate',
          action: 'llmops:trainjob:validate',
          input: { spec: '${{ parameters.spec }}' },
        },
        {
          id: 'submit',
          action: 'llmops:trainjob:submit',
          name: 'Submit the training job',
          input: { spec: '${{ steps.validate.output.spec }}' },
        },
      ],
      output: {
        links: [
          {
            title: 'Argo workflow',
            url: '${{ steps.submit.output.workflowUrl }}',
            if: '${{ steps.submit.output.workflowUrl is defined }}',
          },
          {
            title: 'MLflow run',
            url: '${{ steps.submit.output.runUrl }}',
            if: '${{ steps.submit.output.runUrl is defined }}',
          },
        ],
      },
    }),
  },
];
