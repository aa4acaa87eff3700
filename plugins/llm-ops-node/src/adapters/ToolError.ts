import {
  ConflictError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

/** Which tool failed, and a short machine-readable reason. @public */
export interface ToolErrorData {
  tool: string;
  /** Such as `timeout`, `network`, `http-503`, `not-found` or `conflict`. */
  reason: string;
}

/**
 * A tool that did not answer usefully: a 5xx, a network failure, a timeout
 * or a refused credential. Its name stays `ServiceUnavailableError`, so
 * Backstage's error handler answers 503.
 *
 * @public
 */
export class ToolError
  extends ServiceUnavailableError
  implements ToolErrorData
{
  readonly tool: string;
  readonly reason: string;
  constructor(data: ToolErrorData, message: string) {
    super(message);
    this.tool = data.tool;
    this.reason = data.reason;
  }
}

/**
 * The `{tool, reason}` of an error thrown by an adapter, for the API's
 * `{status: 'error', message, data}` envelope; undefined for other errors.
 *
 * @public
 */
export function toolErrorData(error: unknown): ToolErrorData | undefined {
  const { tool, reason } = (error ?? {}) as Partial<ToolErrorData>;
  return typeof tool === 'string' && typeof reason === 'string'
    ? { tool, reason }
    : undefined;
}

/**
 * The error for a tool's 4xx answer: InputError, NotFoundError or
 * ConflictError (carrying `{tool, reason}`), or a ToolError for the rest.
 */
export function toolHttpError(
  tool: string,
  status: number,
  message: string,
): Error {
  const text = `${tool}: ${message}`;
  const withData = <E extends Error>(error: E, reason: string) =>
    Object.assign(error, { tool, reason });
  switch (status) {
    case 400:
    case 422:
      return withData(new InputError(text), 'invalid-request');
    case 404:
      return withData(new NotFoundError(text), 'not-found');
    case 409:
      return withData(new ConflictError(text), 'conflict');
    case 401:
    case 403:
      return new ToolError({ tool, reason: 'unauthorized' }, text);
    default:
      return new ToolError({ tool, reason: `http-${status}` }, text);
  }
}
