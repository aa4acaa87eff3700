import { isError } from '@backstage/errors';
import { Agent } from 'undici';
import { ToolError, toolHttpError } from '../tools/ToolError';

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
  /** Per-attempt timeout. Defaults to 10 s. */
  timeoutMs?: number;
  /** Retries of an idempotent request after a transient failure. Defaults to 2. */
  retries?: number;
  /** The first retry's delay; each next one doubles. Defaults to 200 ms. */
  retryDelayMs?: number;
  /**
   * TLS for an HTTPS tool with its own CA (a Kubernetes cluster's):
   * `ca` is the PEM of the CAs to trust; `skipVerify` trusts any server.
   */
  tls?: { ca?: string; skipVerify?: boolean };
  /**
   * The largest body `json()`, `text()` and the like read, and the largest
   * event of a Kubernetes watch; a larger one is an error. Defaults to 10 MB.
   */
  maxBodyBytes?: number;
}

/** A request: `fetch`'s options plus a JSON body, a query and retry intent. @public */
export interface ToolRequest extends RequestInit {
  /** Sent as JSON (the content type defaults to `application/json`). */
  json?: unknown;
  query?: Record<string, string | number | boolean | string[] | undefined>;
  /**
   * Whether a retry is safe. GET, HEAD, PUT and DELETE are by default;
   * a POST or PATCH only when the caller says so.
   */
  idempotent?: boolean;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const TRANSIENT_STATUS = new Set([408, 429, 502, 503, 504]);
const MB = 1024 * 1024;
/** The most of an error body read for its message. */
const MAX_ERROR_BYTES = 64 * 1024;

/**
 * A body, read chunk by chunk as it arrives; undefined, and the rest
 * never read, once it is over `limit` bytes.
 */
async function readAtMost(
  response: Response,
  limit: number,
): Promise<Uint8Array | undefined> {
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array();
  if (Number(response.headers.get('content-length')) > limit) {
    await reader.cancel().catch(() => {});
    return undefined;
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
}

/** Reads the tool's own error message from its error body. */
async function errorMessage(response: Response): Promise<string> {
  const bytes = await readAtMost(response, MAX_ERROR_BYTES).catch(
    () => undefined,
  );
  const text = bytes ? new TextDecoder().decode(bytes) : '';
  let message = text;
  try {
    const body = JSON.parse(text);
    message = body.message ?? body.error ?? body.detail ?? text;
    if (typeof message !== 'string') message = JSON.stringify(message);
  } catch {
    // not JSON: keep the text
  }
  message = message.trim().slice(0, 500);
  return message || `HTTP ${response.status} ${response.statusText}`;
}

/**
 * The HTTP mechanism all adapters share: base URL, auth header, per-attempt
 * timeout, retries with exponential backoff for idempotent requests, and
 * errors that carry `{tool, reason}` (see `ToolError`). Credentials never
 * appear in error messages.
 *
 * @public
 */
export class ToolHttpClient {
  readonly tool: string;
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly maxBodyBytes: number;
  readonly #authHeader?: string;
  readonly #secrets: string[] = [];
  readonly #dispatcher?: Agent;

  constructor(options: ToolHttpClientOptions) {
    this.tool = options.tool;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.retries = options.retries ?? 2;
    this.retryDelayMs = options.retryDelayMs ?? 200;
    this.maxBodyBytes = options.maxBodyBytes ?? 10 * MB;
    const auth = options.auth ?? { type: 'none' };
    if (auth.type === 'bearer') {
      this.#authHeader = `Bearer ${auth.token}`;
      this.#secrets.push(auth.token);
    } else if (auth.type === 'basic') {
      const pair = Buffer.from(`${auth.username}:${auth.password}`);
      this.#authHeader = `Basic ${pair.toString('base64')}`;
      this.#secrets.push(auth.password, pair.toString('base64'));
    }
    const userInfo = /^[a-z]+:\/\/([^@/]+)@/i.exec(this.baseUrl)?.[1];
    if (userInfo) this.#secrets.push(userInfo);
    if (options.tls?.ca || options.tls?.skipVerify) {
      this.#dispatcher = new Agent({
        connect: {
          ca: options.tls.ca,
          rejectUnauthorized: !options.tls.skipVerify,
        },
      });
    }
  }

  /** Sends a request and returns the response; throws on a non-2xx answer. */
  async request(path: string, init: ToolRequest = {}): Promise<Response> {
    const { json, query, idempotent, ...rest } = init;
    const method = (rest.method ?? 'GET').toUpperCase();
    const retries =
      idempotent ?? IDEMPOTENT_METHODS.has(method) ? this.retries : 0;
    const headers = new Headers(rest.headers);
    if (this.#authHeader && !headers.has('authorization')) {
      headers.set('authorization', this.#authHeader);
    }
    let body = rest.body;
    if (json !== undefined) {
      body = JSON.stringify(json);
      if (!headers.has('content-type')) {
        headers.set('content-type', 'application/json');
      }
    }
    const url = `${this.baseUrl}${path}${this.#queryString(query)}`;

    for (let attempt = 0; ; attempt++) {
      rest.signal?.throwIfAborted();
      const timeout = AbortSignal.timeout(this.timeoutMs);
      const signal = rest.signal
        ? AbortSignal.any([rest.signal, timeout])
        : timeout;
      let response: Response;
      try {
        response = await fetch(url, {
          ...rest,
          method,
          headers,
          body,
          signal,
          // Node's fetch takes an undici dispatcher (the CA to trust)
          ...(this.#dispatcher && { dispatcher: this.#dispatcher }),
        } as RequestInit);
      } catch (error) {
        const failure = this.#fetchFailure(error, rest.signal);
        if (attempt >= retries) throw failure;
        await this.#sleep(this.retryDelayMs * 2 ** attempt, rest.signal);
        continue;
      }
      if (response.ok) return this.#capped(response);
      // The Hugging Face Hub (and its mirrors) answer 401 for a missing
      // repo, revision or file, and say which in X-Error-Code.
      const notFound = /NotFound$/.test(
        response.headers.get('x-error-code') ?? '',
      );
      const error = toolHttpError(
        this.tool,
        notFound ? 404 : response.status,
        this.#redact(await errorMessage(response)),
      );
      if (!TRANSIENT_STATUS.has(response.status) || attempt >= retries) {
        throw error;
      }
      await this.#sleep(this.retryDelayMs * 2 ** attempt, rest.signal);
    }
  }

  /** The response, whose buffered reads stop at `maxBodyBytes`. */
  #capped(response: Response): Response {
    const limit = this.maxBodyBytes;
    const bytes = async () => {
      const body = await readAtMost(response, limit);
      if (body) return body;
      const size = limit % MB === 0 ? `${limit / MB} MB` : `${limit} bytes`;
      throw new ToolError(
        { tool: this.tool, reason: 'response-too-large' },
        `${this.tool}: the response body is larger than the limit of ${size}`,
      );
    };
    const text = async () => new TextDecoder().decode(await bytes());
    return Object.assign(response, {
      bytes,
      text,
      json: async () => JSON.parse(await text()),
      arrayBuffer: async () => new Uint8Array(await bytes()).buffer,
      blob: async () =>
        new Blob([await bytes()], {
          type: response.headers.get('content-type') ?? '',
        }),
    });
  }

  /** A ToolError for a timeout or network failure; the caller's abort as is. */
  #fetchFailure(error: unknown, callerSignal?: AbortSignal | null): unknown {
    // duck-typed: fetch's errors may come from another realm (jest's vm)
    if (callerSignal?.aborted || !isError(error)) return error;
    if (error.name === 'TimeoutError') {
      return new ToolError(
        { tool: this.tool, reason: 'timeout' },
        `${this.tool}: no answer within ${this.timeoutMs} ms`,
      );
    }
    // fetch's network failure; its cause says why (ECONNREFUSED, …)
    const cause = (error as { cause?: { code?: string; message?: string } })
      .cause;
    return new ToolError(
      { tool: this.tool, reason: 'network' },
      this.#redact(
        `${this.tool}: ${cause?.code ?? cause?.message ?? error.message}`,
      ),
    );
  }

  /** Sends a request and parses its JSON body. */
  async json<T>(path: string, init: ToolRequest = {}): Promise<T> {
    const headers = new Headers(init.headers);
    headers.set('accept', 'application/json');
    const response = await this.request(path, { ...init, headers });
    return (await response.json()) as T;
  }

  #queryString(query: ToolRequest['query']): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) {
        params.append(key, String(item));
      }
    }
    const text = params.toString();
    return text ? `?${text}` : '';
  }

  #redact(text: string): string {
    return this.#secrets.reduce(
      (out, secret) => (secret ? out.split(secret).join('***') : out),
      text,
    );
  }

  #sleep(ms: number, signal?: AbortSignal | null): Promise<void> {
    // ±25% jitter, so that clients that failed together do not retry together
    const delay = ms * (0.75 + Math.random() / 2);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, delay);
      signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }
}
