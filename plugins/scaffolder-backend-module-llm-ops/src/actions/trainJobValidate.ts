import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { LlmOpsActionDeps, LlmOpsApiClient } from './LlmOpsApiClient';
import { requireValidSpec, specToYaml } from './specActionHelpers';
import { examples } from './trainJobValidate.examples';

/**
 * `llmops:trainjob:validate`: checks a TrainJobSpec against the shared rules
 * through `POST /llm-ops/v1/training-jobs/validate`, as the user who runs
 * the template. Fails with every error; outputs the spec and its YAML.
 *
 * @public
 */
export function createTrainJobValidateAction(deps: LlmOpsActionDeps) {
  const api = new LlmOpsApiClient(deps);
  return createTemplateAction({
    id: 'llmops:trainjob:validate',
    description:
      'Validates a TrainJobSpec with the shared spec rules, failing with every error and its rule code',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        spec: z =>
          z
            .record(z.unknown())
            .describe('The TrainJobSpec document (kind: TrainJobSpec)'),
      },
      output: {
        valid: z => z.boolean().describe('Always true: an invalid spec fails'),
        spec: z => z.record(z.unknown()).describe('The validated TrainJobSpec'),
        yaml: z => z.string().describe('The TrainJobSpec as YAML'),
      },
    },
    async handler(ctx) {
      const { spec } = ctx.input;
      await requireValidSpec(api, 'TrainJobSpec', spec, ctx);
      ctx.output('valid', true);
      ctx.output('spec', spec);
      ctx.output('yaml', specToYaml(spec));
    },
  });
}
