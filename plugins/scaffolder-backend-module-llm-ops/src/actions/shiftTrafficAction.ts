import { ConflictError } from '@backstage/errors';
import {
  createTemplateAction,
  TemplateExample,
} from '@backstage/plugin-scaffolder-node';
import {
  LlmOpsActionDeps,
  LlmOpsApiClient,
  SubjectView,
} from './LlmOpsApiClient';
import { sideEffectKey } from './specActionHelpers';

const TARGET_SPLIT = {
  promote: { old: 0, new: 100 },
  rollback: { old: 100, new: 0 },
} as const;

interface DeploymentState {
  name?: string;
  environment?: string;
  revision?: number;
  spec?: { rollout?: { traffic_split?: { old: number; new: number } } };
}

/**
 * The shared body of `llmops:deployment:promote` and
 * `llmops:deployment:rollback`: `POST /llm-ops/v1/deployments/{id}/<direction>`
 * as the user who runs the template, in a checkpoint. A dry run reads the
 * deployment and reports the split it would set.
 */
export function createShiftTrafficAction(
  direction: 'promote' | 'rollback',
  deps: LlmOpsActionDeps,
  options: { description: string; examples: TemplateExample[] },
) {
  const client = new LlmOpsApiClient(deps);
  const target = TARGET_SPLIT[direction];
  return createTemplateAction({
    id: `llmops:deployment:${direction}`,
    description: options.description,
    examples: options.examples,
    supportsDryRun: true,
    schema: {
      input: {
        deploymentId: z =>
          z.string().min(1).describe('The id of the deployment'),
      },
      output: {
        deploymentId: z => z.string().describe('The id of the deployment'),
        status: z =>
          z
            .string()
            .describe('deployed, queued (delivery is retried) or dry-run'),
        trafficSplit: z =>
          z
            .object({ old: z.number(), new: z.number() })
            .describe('The traffic split after the change'),
      },
    },
    async handler(ctx) {
      const { deploymentId } = ctx.input;
      const credentials = await ctx.getInitiatorCredentials();
      const path = `/deployments/${encodeURIComponent(deploymentId)}`;

      if (ctx.isDryRun) {
        const { envelope } = await client.request<SubjectView>({
          method: 'GET',
          path,
          credentials,
          signal: ctx.signal,
        });
        const state = envelope.data.spec as DeploymentState;
        const current = state.spec?.rollout?.traffic_split;
        if (current?.old === target.old && current?.new === target.new) {
          throw new ConflictError(
            `Deployment ${deploymentId} already has ${target.new}% on the new revision`,
          );
        }
        ctx.logger.info(
          `Dry run: would ${direction} deployment ${deploymentId} (${
            state.name ?? 'unnamed'
          }, ${state.environment ?? 'unknown environment'}) from ${
            current ? `${current.old}/${current.new}` : 'an unknown split'
          } to ${target.old}/${target.new} (old/new)`,
        );
        ctx.output('deploymentId', deploymentId);
        ctx.output('status', 'dry-run');
        ctx.output('trafficSplit', { ...target });
        return;
      }

      const result = await ctx.checkpoint({
        key: sideEffectKey(`llmops:deployment:${direction}`, ctx),
        fn: async () => {
          const { envelope } = await client.request<SubjectView>({
            method: 'POST',
            path: `${path}/${direction}`,
            credentials,
            signal: ctx.signal,
          });
          return {
            status: envelope.data.status,
            message: envelope.message,
          };
        },
      });
      ctx.logger.info(
        `${result.message}: ${direction} of deployment ${deploymentId} to ${target.old}/${target.new} (old/new)`,
      );
      ctx.output('deploymentId', deploymentId);
      ctx.output('status', result.status);
      ctx.output('trafficSplit', { ...target });
    },
  });
}
