import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { deriveServeTarget, JOB_TYPES } from '@llmops/plugin-llm-ops-common';
import { LlmOpsActionDeps, LlmOpsApiClient } from './LlmOpsApiClient';
import { requireValidSpec, specToYaml } from './specActionHelpers';
import { examples } from './deploymentValidate.examples';

/**
 * `llmops:deployment:validate`: checks a DeploymentSpec against the shared
 * rules through `POST /llm-ops/v1/deployments/validate`, as the user who
 * runs the template. Fails with every error; outputs the spec, its YAML and
 * the serve target (derived from `job_type` when the spec leaves it out).
 *
 * @public
 */
export function createDeploymentValidateAction(deps: LlmOpsActionDeps) {
  const api = new LlmOpsApiClient(deps);
  return createTemplateAction({
    id: 'llmops:deployment:validate',
    description:
      'Validates a DeploymentSpec with the shared spec rules, failing with every error and its rule code',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        spec: z =>
          z
            .record(z.unknown())
            .describe('The DeploymentSpec document (kind: DeploymentSpec)'),
      },
      output: {
        valid: z => z.boolean().describe('Always true: an invalid spec fails'),
        spec: z =>
          z.record(z.unknown()).describe('The validated DeploymentSpec'),
        yaml: z => z.string().describe('The DeploymentSpec as YAML'),
        serveTarget: z =>
          z
            .enum(['GENERATION', 'RAG'])
            .describe('The serve target, derived from job_type when absent'),
      },
    },
    async handler(ctx) {
      const { spec } = ctx.input;
      await requireValidSpec(api, 'DeploymentSpec', spec, ctx);
      const jobType = JOB_TYPES.find(t => t === spec.job_type) ?? 'SFT';
      const serveTarget =
        spec.serve_target === 'RAG' || spec.serve_target === 'GENERATION'
          ? spec.serve_target
          : deriveServeTarget(jobType);
      ctx.output('valid', true);
      ctx.output('spec', spec);
      ctx.output('yaml', specToYaml(spec));
      ctx.output('serveTarget', serveTarget);
    },
  });
}
