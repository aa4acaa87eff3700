import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  LlmOpsActionDeps,
  LlmOpsApiClient,
  withSpecErrors,
} from './LlmOpsApiClient';
import {
  requireValidSpec,
  sideEffectKey,
  specToYaml,
} from './specActionHelpers';
import { examples } from './deploymentApply.examples';

/**
 * `llmops:deployment:apply`: creates a deployment through
 * `POST /llm-ops/v1/deployments`, or, given `deploymentId`, applies a new
 * revision through `PUT /llm-ops/v1/deployments/{id}`; as the user who runs
 * the template. The call runs in a checkpoint whose key is also the
 * `Idempotency-Key`. In a dry run it validates and reports what it would do.
 *
 * @public
 */
export function createDeploymentApplyAction(deps: LlmOpsActionDeps) {
  const api = new LlmOpsApiClient(deps);
  return createTemplateAction({
    id: 'llmops:deployment:apply',
    description:
      'Creates or updates a model deployment through the LLM Ops API, which converts it to a KServe or Ray Serve manifest',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z
            .string()
            .regex(/^[a-z0-9]([-a-z0-9]{0,40}[a-z0-9])?$/)
            .describe(
              'The deployment name, a DNS label of at most 42 characters',
            ),
        environment: z =>
          z.enum(['dev', 'stg', 'prod']).describe('The target environment'),
        backend: z =>
          z
            .enum(['kserve', 'rayserve'])
            .optional()
            .describe('The serving backend; the API picks one when absent'),
        namespace: z =>
          z.string().optional().describe('The Kubernetes namespace'),
        deploymentId: z =>
          z
            .string()
            .optional()
            .describe(
              'Applies a new revision of this deployment instead of creating one',
            ),
        spec: z =>
          z
            .record(z.unknown())
            .describe('The DeploymentSpec document (kind: DeploymentSpec)'),
      },
      output: {
        deploymentId: z => z.string().describe('The deployment id'),
        status: z =>
          z
            .string()
            .describe('deployed, queued (delivery is retried) or dry-run'),
      },
    },
    async handler(ctx) {
      const { spec, deploymentId, name, environment, backend, namespace } =
        ctx.input;
      const credentials = await ctx.getInitiatorCredentials();

      if (ctx.isDryRun) {
        // Checked where it would deploy, as applying it is.
        await requireValidSpec(api, 'DeploymentSpec', spec, ctx, {
          environment,
          backend,
        });
        ctx.logger.info(
          `Dry run: would ${
            deploymentId
              ? `apply a new revision of deployment ${deploymentId}`
              : `create deployment ${name} in ${environment}`
          } with this DeploymentSpec:\n${specToYaml(spec)}`,
        );
        ctx.output('deploymentId', deploymentId ?? 'dry-run');
        ctx.output('status', 'dry-run');
        return;
      }

      const key = sideEffectKey('llmops:deployment:apply', ctx);
      const result = await ctx.checkpoint({
        key,
        fn: async () => {
          const { client, options } = await api.forUser(
            credentials,
            ctx.signal,
          );
          const { message, data } = await withSpecErrors(
            'DeploymentSpec',
            deploymentId
              ? client.updateDeploymentReply(deploymentId, spec, options)
              : client.createDeploymentReply(
                  { name, environment, backend, namespace, spec },
                  { ...options, idempotencyKey: key },
                ),
          );
          return { id: data.id, status: data.status, message };
        },
      });

      ctx.logger.info(`${result.message}: deployment ${result.id}`);
      ctx.output('deploymentId', result.id);
      ctx.output('status', result.status);
    },
  });
}
