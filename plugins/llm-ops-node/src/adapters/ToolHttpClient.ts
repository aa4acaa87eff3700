import { ResponseError } from '@backstage/errors';

/** How a tool authenticates. @public */
export type ToolAuth =
  | { type: 'none' }
  | { type: 'bearer'; token: string }
  | { type: 'basic'; username: string; password: string };

/** @public */
export interface ToolHttpClientOptions {
  tool: string;
  baseUrl: string;
  auth?: ToolAuth;
  /** Per-request timeout. Defaults to 10 s. */
  timeoutMs?: number;
}

/**
 * The HTTP mechanism all adapters share: base URL, auth header, timeout.
 * Errors are `ResponseError`s (from `@backstage/errors`) or timeouts.
 *
 * @public
 */
export class ToolHttpClient {
  readonly tool: string;
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly #authHeader?: string;

  constructor(options: ToolHttpClientOptions) {
    this.tool = options.tool;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    const auth = options.auth ?? { type: 'none' };
    if (auth.type === 'bearer') {
      this.#authHeader = `Bearer ${auth.token}`;
    } else if (auth.type === 'basic') {
      const pair = Buffer.from(`${auth.username}:${auth.password}`);
      this.#authHeader = `Basic ${pair.toString('base64')}`;
    }
  }

  /** Sends a request and returns the response; throws on a non-2xx answer. */
  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = init.signal
      ? AbortSignal.any([init.signal, timeout])
      : timeout;
    const headers = new Headers(init.headers);
    if (this.#authHeader && !headers.has('authorization')) {
      headers.set('authorization', this.#authHeader);
    }
    const response = await fetch(`${this.baseUrl}${path}`, {
      ...init,
      headers,
      signal,
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }

  /** Sends a request and parses its JSON body. */
  async json<T>(path: string, init?: RequestInit): Promise<T> {
    const headers = new Headers(init?.headers);
    headers.set('accept', 'application/json');
    const response = await this.request(path, { ...init, headers });
    return (await response.json()) as T;
  }
}
