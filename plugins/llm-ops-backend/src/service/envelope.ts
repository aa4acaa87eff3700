import type { ErrorRequestHandler } from 'express';
import { isError, serializeError } from '@backstage/errors';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { isToolError } from '@llmops/plugin-llm-ops-node';

const STATUS_BY_ERROR_NAME: Record<string, number> = {
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  NotModifiedError: 304,
  ConflictError: 409,
  NotImplementedError: 501,
  ServiceUnavailableError: 503,
};

/** The HTTP status of an error: the one place errors become statuses. */
function statusOf(error: unknown): { status: number; known: boolean } {
  if (isToolError(error)) return { status: error.statusCode, known: true };
  const known = isError(error) ? STATUS_BY_ERROR_NAME[error.name] : undefined;
  if (known) return { status: known, known: true };
  // body-parser errors carry their own 4xx status.
  const parser = (error as { status?: unknown })?.status;
  if (typeof parser === 'number' && parser < 500) {
    return { status: parser, known: true };
  }
  return { status: 500, known: false };
}

/**
 * Turns every thrown error into the `{status: 'error', message, data}`
 * envelope. `@backstage/errors` types map to their HTTP codes, a ToolError
 * to its own (400, 404, 409 or 503); an error may carry `data` (such as
 * `{errors: [...]}` or `{tool, reason}`) for the body.
 */
export function envelopeErrorHandler(
  logger: LoggerService,
): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const { status: statusCode, known } = statusOf(error);
    if (!known) {
      logger.error(`Request failed: ${error?.message ?? error}`, error);
    } else if (statusCode >= 500) {
      logger.warn(`Request failed with ${statusCode}: ${error.message}`);
    }
    const data =
      isError(error) && 'data' in error && error.data !== undefined
        ? error.data
        : { name: isError(error) ? error.name : 'Error' };
    const retryAfter = (error as { retryAfterSeconds?: number })
      ?.retryAfterSeconds;
    if (statusCode === 503 && retryAfter) {
      res.setHeader('Retry-After', String(retryAfter));
    }
    res.status(statusCode).json({
      status: 'error',
      message:
        statusCode >= 500 && !known
          ? 'Internal error'
          : serializeError(error).message,
      data,
    });
  };
}
