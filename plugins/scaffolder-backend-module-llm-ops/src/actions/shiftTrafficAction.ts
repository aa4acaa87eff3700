import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  createTemplateAction,
  TemplateExample,
} from '@backstage/plugin-scaffolder-node';
import { LlmOpsActionDeps, LlmOpsApiClient, UserApi } from './LlmOpsApiClient';
import { sideEffectKey } from './specActionHelpers';

const TARGET_SPLIT = {
  promote: { old: 0, new: 100 },
  rollback: { old: 100, new: 0 },
} as const;

/** The message of an input that names no deployment, or names it twice. */
export const ONE_DEPLOYMENT_MESSAGE =
  'Give exactly one of deploymentId (the LLM Ops API id) and deployment (a Deployment entity ref, such as deployment:default/support-assistant-dev, or its name)';

/** Whether exactly one of `deploymentId` and `deployment` is given. */
export function namesOneDeployment(input: {
  deploymentId?: string;
  deployment?: string;
}): boolean {
  return Boolean(input.deploymentId) !== Boolean(input.deployment);
}

/**
 * The metadata name of a Deployment entity ref (`deployment:default/x`,
 * `default/x` or `x`). Another kind is an input error.
 */
export function deploymentNameOf(ref: string): string {
  const match = /^(?:([^:/]+):)?(?:([^:/]+)\/)?([^:/]+)$/.exec(ref.trim());
  if (!match) {
    throw new InputError(
      `deployment must be a Deployment entity ref, such as deployment:default/support-assistant-dev, or its name; got ${ref}`,
    );
  }
  const [, kind, , name] = match;
  if (kind && kind.toLocaleLowerCase('en-US') !== 'deployment') {
    throw new InputError(
      `deployment must name a Deployment entity, not a ${kind}: ${ref}`,
    );
  }
  return name;
}

/**
 * The API id of the deployment a Deployment entity stands for: the portal
 * names a deployment record as its Deployment entity, so
 * `GET /deployments?name=<entity name>` finds it (as the user).
 */
export async function resolveDeploymentId(
  { client, options }: UserApi,
  ref: string,
): Promise<string> {
  const name = deploymentNameOf(ref);
  const page = await client.listDeployments({ name }, options);
  const items = page.items.filter(item => item.name === name);
  if (items.length === 0) {
    throw new NotFoundError(
      `There is no LLM Ops deployment named ${name} (from ${ref}): only a deployment created through the portal (the "Deploy a model" template or the LLM Ops API) can be promoted or rolled back here`,
    );
  }
  if (items.length > 1) {
    throw new ConflictError(
      `Several LLM Ops deployments are named ${name} (${items
        .map(item => `${item.id} in ${item.environment}`)
        .join(', ')}); give deploymentId instead`,
    );
  }
  return items[0].id;
}

/**
 * The shared body of `llmops:deployment:promote` and
 * `llmops:deployment:rollback`: `POST /llm-ops/v1/deployments/{id}/<direction>`
 * as the user who runs the template, in a checkpoint. The deployment is
 * given by its API id (`deploymentId`, for scripts) or by its Deployment
 * entity (`deployment`, as the template's picker gives it), which is
 * resolved to the id by name. A dry run reads the deployment and reports the
 * split it would set.
 */
export function createShiftTrafficAction(
  direction: 'promote' | 'rollback',
  deps: LlmOpsActionDeps,
  options: { description: string; examples: TemplateExample[] },
) {
  const api = new LlmOpsApiClient(deps);
  const target = TARGET_SPLIT[direction];
  return createTemplateAction({
    id: `llmops:deployment:${direction}`,
    description: options.description,
    examples: options.examples,
    supportsDryRun: true,
    schema: {
      // The scaffolder checks inputs against the JSON schema made from this,
      // which drops the refinement, so the handler checks it too.
      input: z =>
        z
          .object({
            deploymentId: z
              .string()
              .min(1)
              .optional()
              .describe('The id the LLM Ops API gave the deployment'),
            deployment: z
              .string()
              .min(1)
              .optional()
              .describe(
                'A Deployment entity ref (deployment:default/support-assistant-dev) or its name; the deployment the LLM Ops API holds under that name',
              ),
          })
          .refine(namesOneDeployment, { message: ONE_DEPLOYMENT_MESSAGE }),
      output: {
        deploymentId: z =>
          z.string().describe('The LLM Ops API id of the deployment'),
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
      if (!namesOneDeployment(ctx.input)) {
        throw new InputError(ONE_DEPLOYMENT_MESSAGE);
      }
      const user = await api.forUser(
        await ctx.getInitiatorCredentials(),
        ctx.signal,
      );
      const deploymentId =
        ctx.input.deploymentId ??
        (await resolveDeploymentId(user, ctx.input.deployment!));
      if (ctx.input.deployment) {
        ctx.logger.info(
          `${ctx.input.deployment} is LLM Ops deployment ${deploymentId}`,
        );
      }

      if (ctx.isDryRun) {
        const deployment = await user.client.getDeployment(
          deploymentId,
          user.options,
        );
        const current = deployment.spec.rollout?.traffic_split as
          | { old: number; new: number }
          | undefined;
        if (current?.old === target.old && current?.new === target.new) {
          throw new ConflictError(
            `Deployment ${deploymentId} already has ${target.new}% on the new revision`,
          );
        }
        ctx.logger.info(
          `Dry run: would ${direction} deployment ${deploymentId} (${
            deployment.name
          }, ${deployment.environment}) from ${
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
          const { message, data } = await user.client.shiftTrafficReply(
            deploymentId,
            direction,
            user.options,
          );
          return { status: data.status, message };
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
