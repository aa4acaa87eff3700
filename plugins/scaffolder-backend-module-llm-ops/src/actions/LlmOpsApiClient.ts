import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { SpecValidationError } from '@llmops/plugin-llm-ops-common';

/** What the actions need to call the `/llm-ops/v1` API. */
export interface LlmOpsActionDeps {
  auth: AuthService;
  discovery: DiscoveryService;
}

/** The `{status, message, data}` envelope of every API response. */
export interface Envelope<T = Record<string, unknown>> {
  status: 'success' | 'error';
  message: string;
  data: T;
}

/** A training job or deployment as the API returns it. */
export interface SubjectView {
  id: string;
  status: string;
  spec: Record<string, unknown>;
  toolState?: Record<string, { url?: string } | undefined>;
  lastError?: string;
  links?: string[];
}

/** A spec that failed the shared rules: the message lists every error. */
export class SpecValidationFailedError extends InputError {
  readonly errors: SpecValidationError[];
  constructor(kind: string, errors: SpecValidationError[]) {
    super(formatSpecErrors(kind, errors));
    this.errors = errors;
  }
}

/** One line per error: `- path [rule]: message`. */
export function formatSpecErrors(
  kind: string,
  errors: SpecValidationError[],
): string {
  const lines = errors.map(
    e => `- ${e.path || '(document)'} [${e.rule}]: ${e.message}`,
  );
  return `The ${kind} is invalid (${errors.length} error${
    errors.length === 1 ? '' : 's'
  }):\n${lines.join('\n')}`;
}

/**
 * Calls the `/llm-ops/v1` API as the user who runs the template: the token is
 * issued on behalf of the task's initiator, so the API's permissions apply.
 */
export class LlmOpsApiClient {
  constructor(private readonly deps: LlmOpsActionDeps) {}

  async request<T = Record<string, unknown>>(options: {
    method: 'GET' | 'POST' | 'PUT';
    path: string;
    credentials: BackstageCredentials;
    body?: unknown;
    idempotencyKey?: string;
    /** The spec kind, to phrase a validation failure. */
    kind?: string;
    signal?: AbortSignal;
  }): Promise<{ statusCode: number; envelope: Envelope<T> }> {
    const { token } = await this.deps.auth.getPluginRequestToken({
      onBehalfOf: options.credentials,
      targetPluginId: 'llm-ops',
    });
    const baseUrl = await this.deps.discovery.getBaseUrl('llm-ops');
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      Accept: 'application/json',
    };
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    if (options.idempotencyKey) {
      headers['Idempotency-Key'] = options.idempotencyKey;
    }
    const response = await fetch(`${baseUrl}/v1${options.path}`, {
      method: options.method,
      headers,
      body:
        options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
    const text = await response.text();
    let envelope: Envelope<T> | undefined;
    try {
      envelope = JSON.parse(text);
    } catch {
      envelope = undefined;
    }
    if (response.ok && envelope && envelope.status === 'success') {
      return { statusCode: response.status, envelope };
    }
    throw toError(
      response.status,
      envelope,
      text,
      options.kind ?? 'spec',
      `${options.method} /llm-ops/v1${options.path}`,
    );
  }

  /** Validates a spec with the API's validate endpoint; returns every error. */
  async validate(
    kind: 'TrainJobSpec' | 'DeploymentSpec',
    spec: unknown,
    credentials: BackstageCredentials,
    signal?: AbortSignal,
  ): Promise<SpecValidationError[]> {
    const path =
      kind === 'TrainJobSpec'
        ? '/training-jobs/validate'
        : '/deployments/validate';
    const { envelope } = await this.request<{
      valid: boolean;
      errors: SpecValidationError[];
    }>({ method: 'POST', path, body: { spec }, credentials, kind, signal });
    return envelope.data.valid ? [] : envelope.data.errors;
  }
}

function toError(
  statusCode: number,
  envelope: Envelope<unknown> | undefined,
  text: string,
  kind: string,
  what: string,
): Error {
  const data = (envelope?.data ?? {}) as { errors?: SpecValidationError[] };
  const message = `${what} failed with ${statusCode}: ${
    envelope?.message ?? (text.slice(0, 200) || 'no response body')
  }`;
  if (statusCode === 400 && Array.isArray(data.errors) && data.errors.length) {
    return new SpecValidationFailedError(kind, data.errors);
  }
  switch (statusCode) {
    case 400:
      return new InputError(message);
    case 401:
    case 403:
      return new NotAllowedError(message);
    case 404:
      return new NotFoundError(message);
    case 409:
      return new ConflictError(message);
    case 503:
      return new ServiceUnavailableError(message);
    default:
      return new Error(message);
  }
}
