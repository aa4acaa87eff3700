import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import type { JsonObject } from '@backstage/types';
import { stringify } from 'yaml';
import {
  DeploymentTarget,
  LlmOpsApiClient,
  SpecKind,
  SpecValidationFailedError,
} from './LlmOpsApiClient';

export type { SpecKind };

/**
 * Validates a spec through the API as the task's initiator (a DeploymentSpec
 * against the target it would deploy to, when given) and fails the step
 * with every error (path, rule code and message) when it is invalid.
 */
export async function requireValidSpec(
  client: LlmOpsApiClient,
  kind: SpecKind,
  spec: unknown,
  ctx: Pick<
    ActionContext<JsonObject, JsonObject>,
    'getInitiatorCredentials' | 'signal' | 'logger'
  >,
  target?: DeploymentTarget,
): Promise<void> {
  const errors = await client.validate(
    kind,
    spec,
    await ctx.getInitiatorCredentials(),
    { signal: ctx.signal, target },
  );
  if (errors.length > 0) {
    const failure = new SpecValidationFailedError(kind, errors);
    ctx.logger.error(failure.message);
    throw failure;
  }
  ctx.logger.info(`The ${kind} passes every rule`);
}

/** A spec as YAML, for files and logs. */
export function specToYaml(spec: unknown): string {
  return stringify(spec, { lineWidth: 0 });
}

/**
 * The checkpoint key of a side effect, also sent as the API's
 * `Idempotency-Key`: the same task step always sends the same key, so a
 * retried task neither repeats the call nor makes the API act twice.
 */
export function sideEffectKey(
  action: string,
  ctx: Pick<ActionContext<JsonObject, JsonObject>, 'task' | 'step'>,
): string {
  return [action, ctx.task.id, ctx.step?.id ?? 'step'].join(':');
}
