import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { stringify } from 'yaml';
import { exampleTrainJobSpec } from './trainJobValidate.examples';

export const examples: TemplateExample[] = [
  {
    description:
      'Submits a spec (the API validates it as it takes the job); the output links to the Argo workflow and the MLflow run',
    example: stringify({
      steps: [
        {
          id: 'submit',
          action: 'llmops:trainjob:submit',
          name: 'Submit the training job',
          input: { spec: exampleTrainJobSpec },
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
  {
    description:
      'Submits the spec assembled from the form, then renders the submitted spec into a skeleton (no validate step is needed before)',
    example: stringify({
      steps: [
        {
          id: 'submit',
          action: 'llmops:trainjob:submit',
          input: { spec: '${{ parameters.spec }}' },
        },
        {
          id: 'render',
          action: 'fetch:template',
          input: {
            url: './skeleton',
            values: { specYaml: '${{ steps.submit.output.yaml }}' },
          },
        },
      ],
    }),
  },
];
