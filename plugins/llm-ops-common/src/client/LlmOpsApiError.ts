import { CustomErrorBase } from '@backstage/errors';

/**
 * The error names of the API's statuses, as `@backstage/errors` names them:
 * the client side's one mapping (the backend's envelope handler is the other
 * direction's).
 */
const NAME_BY_STATUS: Record<number, string> = {
  400: 'InputError',
  401: 'AuthenticationError',
  403: 'NotAllowedError',
  404: 'NotFoundError',
  409: 'ConflictError',
  501: 'NotImplementedError',
  503: 'ServiceUnavailableError',
};

/**
 * A failed call of the `/llm-ops/v1` API: the envelope's message, the HTTP
 * status, and the envelope's `data`, such as
 * `{errors: [{path, rule, message}]}` for an invalid spec, or
 * `{tool, reason}` for a tool's failure. Its `name` follows `@backstage/errors`' names for the status.
 *
 * @public
 */
export class LlmOpsApiError extends CustomErrorBase {
  readonly status: number;
  readonly data: Record<string, unknown>;

  constructor(status: number, message: string, data: Record<string, unknown> = {}) {
    super(message);
    this.name = NAME_BY_STATUS[status] ?? (status >= 500 ? 'Error' : 'InputError');
    this.status = status;
    this.data = data;
  }
}

/** The error of a response that is not a success envelope. @public */
export async function errorFromResponse(response: {
  status: number;
  statusText?: string;
  text(): Promise<string>;
}): Promise<LlmOpsApiError> {
  const text = await response.text().catch(() => '');
  let body: {
    message?: unknown;
    data?: unknown;
    error?: { message?: unknown };
  } = {};
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: the text is the message
  }
  const message =
    (typeof body.message === 'string' && body.message) ||
    // Backstage's own error body (say, a 401 from its auth layer)
    (typeof body.error?.message === 'string' && body.error.message) ||
    text.slice(0, 500) ||
    `HTTP ${response.status} ${response.statusText ?? ''}`.trim();
  const data =
    body.data && typeof body.data === 'object'
      ? (body.data as Record<string, unknown>)
      : {};
  return new LlmOpsApiError(response.status, message, data);
}
