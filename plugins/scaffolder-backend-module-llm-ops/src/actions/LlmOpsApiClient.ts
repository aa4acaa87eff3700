import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  DeploymentValidationRequest,
  LlmOpsApiError,
  LlmOpsClient,
  RequestOptions,
  SpecError,
} from '@llmops/plugin-llm-ops-common';

/** What the actions need to call the `/llm-ops/v1` API. @public */
export interface LlmOpsActionDeps {
  auth: AuthService;
  discovery: DiscoveryService;
}

/** The spec kinds the actions handle. */
export type SpecKind = 'TrainJobSpec' | 'DeploymentSpec';

/** Where a DeploymentSpec would deploy, so that its rollout is checked there. */
export type DeploymentTarget = Omit<DeploymentValidationRequest, 'spec'>;

/** The API's typed client, and the options that make each call as the user. */
export interface UserApi {
  client: LlmOpsClient;
  options: RequestOptions;
}

/** One line per error: `- path [rule]: message`. */
export function formatSpecErrors(kind: string, errors: SpecError[]): string {
  const lines = errors.map(
    e => `- ${e.path || '(document)'} [${e.rule}]: ${e.message}`,
  );
  return `The ${kind} is invalid (${errors.length} error${
    errors.length === 1 ? '' : 's'
  }):\n${lines.join('\n')}`;
}

/** A spec that failed the shared rules: the message lists every error. */
export class SpecValidationFailedError extends InputError {
  readonly errors: SpecError[];
  constructor(kind: string, errors: SpecError[], cause?: Error) {
    super(formatSpecErrors(kind, errors), cause);
    this.errors = errors;
  }
}

/**
 * A call that may refuse a spec: the API's refusal of an invalid spec (400
 * with the errors in its data) fails with every error listed; any other
 * failure is the API's own `LlmOpsApiError`.
 */
export async function withSpecErrors<T>(
  kind: SpecKind,
  call: Promise<T>,
): Promise<T> {
  try {
    return await call;
  } catch (error) {
    const errors = (error as LlmOpsApiError).data?.errors;
    if (
      error instanceof LlmOpsApiError &&
      error.status === 400 &&
      Array.isArray(errors) &&
      errors.length > 0
    ) {
      throw new SpecValidationFailedError(kind, errors as SpecError[], error);
    }
    throw error;
  }
}

/**
 * The `/llm-ops/v1` API as the user who runs the template: the API's typed
 * client (`LlmOpsClient`) with a token issued on behalf of the task's
 * initiator, so that the API's permissions apply.
 */
export class LlmOpsApiClient {
  constructor(private readonly deps: LlmOpsActionDeps) {}

  /** The client and the request options of calls made as `credentials`. */
  async forUser(
    credentials: BackstageCredentials,
    signal?: AbortSignal,
  ): Promise<UserApi> {
    const { token } = await this.deps.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'llm-ops',
    });
    const client = new LlmOpsClient({
      discoveryApi: this.deps.discovery,
      // The task's signal ends a call when the task is cancelled.
      fetchApi: { fetch: (input, init) => fetch(input, { ...init, signal }) },
    });
    return { client, options: { token } };
  }

  /**
   * Validates a spec with the API's validate endpoint (a DeploymentSpec
   * against its target, when given); returns every error.
   */
  async validate(
    kind: SpecKind,
    spec: unknown,
    credentials: BackstageCredentials,
    options: { signal?: AbortSignal; target?: DeploymentTarget } = {},
  ): Promise<SpecError[]> {
    const { client, options: request } = await this.forUser(
      credentials,
      options.signal,
    );
    const result =
      kind === 'TrainJobSpec'
        ? await client.validateTrainingJob(spec, request)
        : await client.validateDeployment(spec, options.target, request);
    return result.valid ? [] : result.errors;
  }
}
