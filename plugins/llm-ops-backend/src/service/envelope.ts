import type { ErrorRequestHandler, Response } from 'express';
import { isError, serializeError } from '@backstage/errors';
import type { LoggerService } from '@backstage/backend-plugin-api';

/** Sends a success envelope: `{status: 'success', message, data}`. */
export function sendSuccess<T>(
  res: Response,
  message: string,
  data: T,
  statusCode = 200,
) {
  res.status(statusCode).json({ status: 'success', message, data });
}

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

/**
 * Turns every thrown error into the `{status: 'error', message, data}`
 * envelope. `@backstage/errors` types map to their HTTP codes; an error may
 * carry `data` (such as `{errors: [...]}` or `{tool, reason}`) for the body.
 */
export function envelopeErrorHandler(
  logger: LoggerService,
): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const known = isError(error) ? STATUS_BY_ERROR_NAME[error.name] : undefined;
    // body-parser errors carry their own 4xx status.
    const parserStatus =
      typeof error?.status === 'number' && error.status < 500
        ? error.status
        : undefined;
    const statusCode = known ?? parserStatus ?? 500;
    if (statusCode >= 500) {
      logger.error(`Request failed: ${error?.message ?? error}`, error);
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
