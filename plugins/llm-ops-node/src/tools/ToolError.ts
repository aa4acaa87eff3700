import { CustomErrorBase, isError } from '@backstage/errors';

/** Which tool failed, and a short machine-readable reason. @public */
export interface ToolErrorData {
  tool: string;
  /**
   * Such as `timeout`, `network`, `http-503`, `unauthorized`,
   * `not-configured`, `circuit-open`, `not-found`, `invalid-request` or
   * `conflict`.
   */
  reason: string;
  /** When the tool's current run of failures began (ISO 8601), if known. */
  since?: string;
}

/**
 * The HTTP status the API answers a tool's failure with: the tool refused
 * the request (400, 404, 409), or it is down, slow or not there (503).
 *
 * @public
 */
export type ToolErrorStatus = 400 | 404 | 409 | 503;

/**
 * The one error of a tool's failure. Its `data` is `{tool, reason}`, which
 * the API's envelope shows; `statusCode` is what the API answers. Only a
 * 503 is transient: the retry queue and the circuit breaker retry it, never
 * a tool's refusal of the request.
 *
 * @public
 */
export class ToolError extends CustomErrorBase {
  name = 'ToolError' as const;
  readonly data: ToolErrorData;
  readonly statusCode: ToolErrorStatus;
  /** For a 503: when to try again (the `Retry-After` header). */
  readonly retryAfterSeconds?: number;

  constructor(
    data: ToolErrorData,
    message: string,
    options: {
      statusCode?: ToolErrorStatus;
      retryAfterSeconds?: number;
      cause?: Error;
    } = {},
  ) {
    super(message, options.cause);
    this.data = { tool: data.tool, reason: data.reason };
    if (data.since) this.data.since = data.since;
    this.statusCode = options.statusCode ?? 503;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** Whether the tool is down (503) rather than refusing the request. */
  get transient(): boolean {
    return this.statusCode === 503;
  }
}

/** Whether an error is a ToolError, duck-typed across module copies. @public */
export function isToolError(error: unknown): error is ToolError {
  return (
    isError(error) &&
    error.name === 'ToolError' &&
    typeof (error as Partial<ToolError>).statusCode === 'number'
  );
}

/**
 * The error for a tool's HTTP answer that is not a success: a refusal of
 * the request (400/422, 404, 409) keeps its status; the rest (401, 403,
 * 5xx, …) means the tool is unusable now, a 503.
 *
 * @public
 */
export function toolHttpError(
  tool: string,
  status: number,
  message: string,
): ToolError {
  const text = `${tool}: ${message}`;
  switch (status) {
    case 400:
    case 422:
      return new ToolError({ tool, reason: 'invalid-request' }, text, {
        statusCode: 400,
      });
    case 404:
      return new ToolError({ tool, reason: 'not-found' }, text, {
        statusCode: 404,
      });
    case 409:
      return new ToolError({ tool, reason: 'conflict' }, text, {
        statusCode: 409,
      });
    case 401:
    case 403:
      return new ToolError({ tool, reason: 'unauthorized' }, text);
    default:
      return new ToolError({ tool, reason: `http-${status}` }, text);
  }
}

/**
 * Is this failure the tool's fault (down, slow, 5xx), so worth another try,
 * rather than a refusal of the request? Errors that are not ToolErrors
 * (a bug, an unexpected answer) count as transient, so a job is retried
 * rather than lost.
 *
 * @public
 */
export function isTransientFailure(error: unknown): boolean {
  if (isToolError(error)) return error.transient;
  return !(
    isError(error) &&
    [
      'InputError',
      'NotFoundError',
      'ConflictError',
      'NotAllowedError',
    ].includes(error.name)
  );
}

/** The `{tool, reason}` of a ToolError; undefined for other errors. @public */
export function toolErrorData(error: unknown): ToolErrorData | undefined {
  return isToolError(error) ? error.data : undefined;
}
