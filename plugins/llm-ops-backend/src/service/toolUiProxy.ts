import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import Router from 'express-promise-router';
import { createProxyMiddleware } from 'http-proxy-middleware';
import type {
  AuthService,
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  AuthenticationError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  LLM_OPS_TOOL_UI_RESOURCE_TYPE,
  ToolUi,
  toolUiUsePermission,
  toolUiWritePermission,
} from '@llmops/plugin-llm-ops-common';
import { toolUiResourceRefOf } from './toolUiPermissions';

/** A tool UI that the proxy serves, read from config. */
export interface ToolUiTarget {
  tool: string;
  /** The tool's address as the backend reaches it; the only proxy target. */
  url: string;
  embed: boolean;
  publicUrl?: string;
  /** The tool's credentials, added on the server; never sent to the browser. */
  headers: Record<string, string>;
  /** Whether writes may pass at all (then under `llmops.toolUi.write`); default false. */
  allowWrites: boolean;
  /** The paths (below the tool's root) of the read-style POSTs its UI makes. */
  readPosts: string[];
  /** The upstream timeout of one proxied request. */
  timeoutMs: number;
}

/** Where the proxy is served from: its own origin, or the portal's by opt-in. */
export interface ToolUiProxySettings {
  /** A separate origin (such as `https://tools.portal.example.com`) that serves the proxy. */
  origin?: string;
  /** Framing the tools on the portal's own origin: an explicit opt-in. */
  sameOriginEmbedding: boolean;
}

/** The tool integrations whose UI is served from their API address by default. */
const DEFAULT_UI_TOOLS = ['mlflow', 'argo'];

/**
 * The POSTs that each tool's own UI makes only to read, so that a read-only
 * proxy can still show it. Every other non-GET request is a write.
 * MLflow's UI searches with POSTs, and its GraphQL schema has no mutations.
 */
const READ_POSTS: Record<string, string[]> = {
  // MLflow 3.x's UI (read from its bundle and handlers.py): the experiment,
  // run and trace pages search with POSTs. Its GraphQL mutations are two
  // searches and an echo.
  mlflow: [
    '/ajax-api/2.0/mlflow/runs/search',
    '/ajax-api/2.0/mlflow/experiments/search',
    '/ajax-api/2.0/mlflow/experiments/search-datasets',
    '/ajax-api/2.0/mlflow/logged-models/search',
    '/ajax-api/3.0/mlflow/traces/search',
    '/ajax-api/3.0/mlflow/traces/batchGetInfos',
    '/ajax-api/3.0/mlflow/traces/metrics',
    '/ajax-api/3.0/mlflow/issues/search',
    '/ajax-api/3.0/mlflow/datasets/search',
    '/graphql',
  ],
};

const SAFE_METHODS = ['GET', 'HEAD', 'OPTIONS'];

/** The request headers a tool gets from the browser; the rest stay here. */
const FORWARDED_HEADERS = new Set([
  'accept',
  'accept-encoding',
  'accept-language',
  'cache-control',
  'content-length',
  'content-type',
  'host',
  'if-match',
  'if-modified-since',
  'if-none-match',
  'if-unmodified-since',
  'origin',
  'pragma',
  'range',
  'referer',
  'transfer-encoding',
  'user-agent',
  'x-requested-with',
]);

/** The cookie of a session on the proxy's own origin. */
export const UI_SESSION_COOKIE = 'llmops-ui-session';

function authHeaders(c: Config | undefined): Record<string, string> {
  const token = c?.getOptionalString('token');
  if (token) return { authorization: `Bearer ${token}` };
  const username = c?.getOptionalString('username');
  if (username) {
    const password = c?.getOptionalString('password') ?? '';
    return {
      authorization: `Basic ${Buffer.from(`${username}:${password}`).toString(
        'base64',
      )}`,
    };
  }
  return {};
}

/**
 * The tool UIs to serve: MLflow and Argo from their integration's address
 * unless `llmOps.ui.<tool>.embed` is false, and any other tool (such as the
 * Ray dashboard) named under `llmOps.ui` with a `url`.
 */
export function readToolUiTargets(config: Config): ToolUiTarget[] {
  const ui = config.getOptionalConfig('llmOps.ui');
  const integrations = config.getOptionalConfig('llmOps.integrations');
  const tools = new Set([...DEFAULT_UI_TOOLS, ...(ui?.keys() ?? [])]);
  const targets: ToolUiTarget[] = [];
  for (const tool of tools) {
    const own = ui?.getOptionalConfig(tool);
    const integration = integrations?.getOptionalConfig(tool);
    if (integration?.getOptionalBoolean('enabled') === false) continue;
    const url =
      own?.getOptionalString('url') ??
      integration?.getOptionalString('baseUrl');
    if (!url) continue;
    targets.push({
      tool,
      url: url.replace(/\/+$/, ''),
      embed: own?.getOptionalBoolean('embed') ?? true,
      publicUrl: own?.getOptionalString('publicUrl'),
      headers: own ? authHeaders(own) : authHeaders(integration),
      allowWrites: own?.getOptionalBoolean('allowWrites') ?? false,
      readPosts: [
        ...(READ_POSTS[tool] ?? []),
        ...(own?.getOptionalStringArray('readPosts') ?? []),
      ],
      timeoutMs: own?.getOptionalNumber('timeoutMs') ?? 30_000,
    });
  }
  return targets;
}

/** `llmOps.uiProxy`: the proxy's own origin, or the same-origin opt-in. */
export function readToolUiProxySettings(config: Config): ToolUiProxySettings {
  const c = config.getOptionalConfig('llmOps.uiProxy');
  const origin = c?.getOptionalString('origin');
  if (origin !== undefined) {
    const parsed = new URL(origin);
    if (parsed.origin !== origin.replace(/\/+$/, '')) {
      throw new InputError(
        `llmOps.uiProxy.origin must be an origin (scheme, host and port only), not ${origin}`,
      );
    }
  }
  return {
    origin: origin?.replace(/\/+$/, ''),
    sameOriginEmbedding: c?.getOptionalBoolean('sameOriginEmbedding') ?? false,
  };
}

/** Whether the proxy serves the tools at all: on its own origin, or by opt-in. */
function serves(settings: ToolUiProxySettings) {
  return !!settings.origin || settings.sameOriginEmbedding;
}

/** What `GET /v1/ui` tells the frontend: no addresses or credentials inside. */
export function describeToolUis(
  targets: ToolUiTarget[],
  settings: ToolUiProxySettings,
): ToolUi[] {
  return targets.map(t => ({
    tool: t.tool,
    // link-out, unless the proxy is isolated on its own origin or opted in
    embeddable: t.embed && serves(settings),
    proxyPath: `/ui/${t.tool}/`,
    publicUrl: t.publicUrl,
  }));
}

/** A CSP without its `frame-ancestors` directive; undefined when nothing is left. */
function withoutFrameAncestors(csp: string): string | undefined {
  const kept = csp
    .split(';')
    .map(d => d.trim())
    .filter(d => d && !/^frame-ancestors\b/i.test(d));
  return kept.length ? kept.join('; ') : undefined;
}

/** Whether a request only reads: a safe method, or a read-style POST of the tool's UI. */
export function isReadRequest(
  target: ToolUiTarget,
  method: string,
  path: string,
): boolean {
  if (SAFE_METHODS.includes(method)) return true;
  const bare = path.split('?')[0].replace(/\/+$/, '');
  return method === 'POST' && target.readPosts.includes(bare);
}

/** Refuses a cross-site request that would change state (CSRF). */
function refuseForeign(req: express.Request, ownOrigins: string[]) {
  const origin = req.headers.origin;
  if (origin && !ownOrigins.includes(origin)) {
    throw new NotAllowedError(
      `A ${req.method} from ${origin} is refused: the tool UI proxy takes changes only from the portal's own pages`,
    );
  }
  if (req.headers['sec-fetch-site'] === 'cross-site') {
    throw new NotAllowedError(
      `A cross-site ${req.method} is refused: the tool UI proxy takes changes only from the portal's own pages`,
    );
  }
}

/**
 * Permission decisions for the proxy, kept 10 s per user, permission and
 * tool: one page of a tool's UI loads dozens of files.
 */
class DecisionCache {
  readonly #decisions = new Map<string, number>();
  constructor(private readonly permissions: PermissionsService) {}

  async require(
    permission: ResourcePermission<typeof LLM_OPS_TOOL_UI_RESOURCE_TYPE>,
    tool: string,
    credentials: BackstageCredentials<BackstageUserPrincipal>,
  ) {
    const key = `${credentials.principal.userEntityRef} ${permission.name} ${tool}`;
    const until = this.#decisions.get(key);
    if (until && until > Date.now()) return;
    const [decision] = await this.permissions.authorize(
      [{ permission, resourceRef: toolUiResourceRefOf(tool) }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      this.#decisions.delete(key);
      throw new NotAllowedError(`Not allowed: ${permission.name} on ${tool}`);
    }
    if (this.#decisions.size > 10_000) this.#decisions.clear();
    this.#decisions.set(key, Date.now() + 10_000);
  }
}

export interface ToolUiRouterOptions {
  /** The portal's origins (the app's and the backend's), which may frame the tools. */
  frameAncestors: string[];
  settings: ToolUiProxySettings;
  httpAuth: HttpAuthService;
  auth: AuthService;
  permissions: PermissionsService;
}

/**
 * The proxy for tool UIs, so that a tool that refuses to be framed
 * (X-Frame-Options, CSP frame-ancestors) can be embedded in the portal.
 *
 * It never lends the tools' credentials: each request needs a signed-in
 * user (service principals are refused) allowed `llmops.toolUi.use` on the
 * tool, and reads only (GET, HEAD and the tool UI's read-style POSTs); a
 * write needs `allowWrites` in config and `llmops.toolUi.write`. A
 * cross-site change is refused, only a list of request headers reaches the
 * tool, its cookies and off-origin redirects never reach the browser.
 *
 * It is served at `/ui/<tool>/` on the portal's origin only by opt-in
 * (`llmOps.uiProxy.sameOriginEmbedding`); with `llmOps.uiProxy.origin`, at
 * `/ui-origin/<tool>/` on that origin alone, under a host-only session
 * cookie that `/ui-origin/session` sets from a token the portal minted.
 */
export function createToolUiRouters(
  targets: ToolUiTarget[],
  options: ToolUiRouterOptions,
): { sameOrigin: express.Router; ownOrigin: express.Router } {
  const { settings, httpAuth, auth, permissions } = options;
  const ancestors = ["'self'", ...options.frameAncestors];
  // The pages whose changes the proxy takes: the portal's, and the tools' own
  // pages on the proxy's origin.
  const ownOrigins = [...options.frameAncestors];
  if (settings.origin) ownOrigins.push(settings.origin);
  const frameAncestors = `frame-ancestors ${[...new Set(ancestors)].join(' ')}`;
  const decisions = new DecisionCache(permissions);

  /** The user behind a request on the portal's origin: its cookie or token. */
  const portalUser = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user'], allowLimitedAccess: true });

  /** The user behind a request on the proxy's origin: its session cookie. */
  const sessionUser = async (req: express.Request) => {
    const token = readCookie(req, UI_SESSION_COOKIE);
    if (!token) {
      throw new AuthenticationError(
        'No tool UI session: open the tool from the portal',
      );
    }
    const credentials = await auth.authenticate(token);
    if (!auth.isPrincipal(credentials, 'user')) {
      throw new NotAllowedError('Tool UI sessions are for users only');
    }
    return credentials;
  };

  const build = (
    mount: string,
    userOf: (
      req: express.Request,
    ) => Promise<BackstageCredentials<BackstageUserPrincipal>>,
  ) => {
    const router = Router();
    for (const target of targets.filter(t => t.embed)) {
      const origin = new URL(target.url).origin;
      router.use(`/${target.tool}`, async (req, _res, next) => {
        const credentials = await userOf(req);
        const read = isReadRequest(target, req.method, req.path);
        if (!SAFE_METHODS.includes(req.method)) refuseForeign(req, ownOrigins);
        if (!read && !target.allowWrites) {
          throw new NotAllowedError(
            `The ${target.tool} UI is read-only through the portal: ${req.method} ${req.path} would change data (llmOps.ui.${target.tool}.allowWrites)`,
          );
        }
        await decisions.require(
          read ? toolUiUsePermission : toolUiWritePermission,
          target.tool,
          credentials,
        );
        next();
      });
      router.use(
        `/${target.tool}`,
        createProxyMiddleware({
          target: target.url,
          changeOrigin: true,
          ws: false,
          logLevel: 'silent',
          proxyTimeout: target.timeoutMs,
          // The proxy forwards the full original URL; the tool gets the part
          // below the tool's prefix, on its own address only.
          pathRewrite: (path: string, req: IncomingMessage) => {
            const { baseUrl } = req as express.Request;
            const rest = path.startsWith(baseUrl)
              ? path.slice(baseUrl.length)
              : path;
            return rest.startsWith('/') ? rest : `/${rest}`;
          },
          onProxyReq: (proxyReq, req) => {
            // Only the listed headers: Backstage's cookie and token, and
            // forwarding headers, stay here; the tool gets its own credentials.
            for (const name of proxyReq.getHeaderNames()) {
              if (!FORWARDED_HEADERS.has(name)) proxyReq.removeHeader(name);
            }
            for (const [name, value] of Object.entries(target.headers)) {
              proxyReq.setHeader(name, value);
            }
            // The tool sees a request from itself, as from its own UI, only
            // when the portal's page sent it.
            const from = req.headers.origin;
            if (from && ownOrigins.includes(from)) {
              proxyReq.setHeader('origin', origin);
            } else {
              proxyReq.removeHeader('origin');
            }
            if (req.headers.referer) {
              proxyReq.setHeader('referer', `${origin}/`);
            }
          },
          onProxyRes: (
            proxyRes: IncomingMessage,
            req: IncomingMessage,
            res: ServerResponse,
          ) => {
            // Backstage's own framing headers are set for its pages; the tool's
            // framing headers are dropped; so are its cookies.
            res.removeHeader('x-frame-options');
            res.removeHeader('content-security-policy');
            delete proxyRes.headers['x-frame-options'];
            delete proxyRes.headers['set-cookie'];
            const csp = proxyRes.headers['content-security-policy'];
            const kept =
              typeof csp === 'string' ? withoutFrameAncestors(csp) : undefined;
            proxyRes.headers['content-security-policy'] = kept
              ? `${kept}; ${frameAncestors}`
              : frameAncestors;
            // A redirect within the tool stays within the proxy; one elsewhere
            // goes to the tool's root instead.
            const location = proxyRes.headers.location;
            if (location) {
              const base =
                (req as express.Request).baseUrl ?? `${mount}/${target.tool}`;
              const resolved = new URL(location, `${origin}/`);
              proxyRes.headers.location =
                resolved.origin === origin
                  ? `${base}${resolved.pathname}${resolved.search}${resolved.hash}`
                  : `${base}/`;
            }
          },
          onError: (error, _req, res) => {
            const response = res as ServerResponse;
            if (response.headersSent) {
              response.end();
              return;
            }
            const timedOut = /timed? ?out|ECONNRESET|socket hang up/i.test(
              String((error as Error).message),
            );
            response.writeHead(timedOut ? 504 : 502, {
              'content-type': 'application/json',
            });
            response.end(
              JSON.stringify({
                status: 'error',
                message: `${target.tool}'s UI did not answer${
                  timedOut ? ` within ${target.timeoutMs} ms` : ''
                }`,
                data: { tool: target.tool },
              }),
            );
          },
        }),
      );
    }
    router.use(() => {
      throw new NotFoundError('No such tool UI; see llmOps.ui in app-config');
    });
    return router;
  };

  const off = (why: string) => {
    const router = Router();
    router.use(() => {
      throw new NotFoundError(why);
    });
    return router;
  };

  let sameOrigin: express.Router;
  if (settings.origin) {
    sameOrigin = off(
      `The tool UIs are served from their own origin (llmOps.uiProxy.origin), not the portal's`,
    );
  } else if (settings.sameOriginEmbedding) {
    sameOrigin = build('/api/llm-ops/ui', portalUser);
  } else {
    sameOrigin = off(
      'The tool UIs are linked to, not proxied: set llmOps.uiProxy.origin (or, knowing the risk, llmOps.uiProxy.sameOriginEmbedding)',
    );
  }

  let ownOrigin: express.Router;
  if (settings.origin) {
    const host = new URL(settings.origin).host;
    const proxy = build('/api/llm-ops/ui-origin', sessionUser);
    ownOrigin = Router();
    ownOrigin.use((req, _res, next) => {
      if (req.headers.host !== host) {
        throw new NotFoundError(
          `The tool UIs are served on ${settings.origin} only`,
        );
      }
      next();
    });
    // A token the portal minted for the user becomes a host-only cookie.
    ownOrigin.get('/session', async (req, res) => {
      const { token, next } = req.query;
      if (typeof token !== 'string' || typeof next !== 'string') {
        throw new InputError('session needs a token and a next path');
      }
      if (!/^\/api\/llm-ops\/ui-origin\/[a-z0-9-]+\//.test(next)) {
        throw new InputError(
          'next must be a tool UI path under /api/llm-ops/ui-origin/',
        );
      }
      const credentials = await auth.authenticate(token);
      if (!auth.isPrincipal(credentials, 'user')) {
        throw new NotAllowedError('Tool UI sessions are for users only');
      }
      const secure = new URL(settings.origin!).protocol === 'https:';
      const maxAge = credentials.expiresAt
        ? Math.max(
            0,
            Math.floor((credentials.expiresAt.getTime() - Date.now()) / 1000),
          )
        : 3600;
      res.setHeader(
        'set-cookie',
        `${UI_SESSION_COOKIE}=${encodeURIComponent(
          token,
        )}; Path=/api/llm-ops/ui-origin; HttpOnly; SameSite=${
          secure ? 'None; Secure' : 'Lax'
        }; Max-Age=${maxAge}`,
      );
      res.setHeader('referrer-policy', 'no-referrer');
      res.redirect(302, next);
    });
    ownOrigin.use(proxy);
  } else {
    ownOrigin = off('No separate tool UI origin is configured');
  }
  return { sameOrigin, ownOrigin };
}

/** The path on which a user opens a tool's UI: on the proxy's origin, through a session. */
export async function toolUiSessionUrl(
  auth: AuthService,
  settings: ToolUiProxySettings,
  credentials: BackstageCredentials<BackstageUserPrincipal>,
  tool: string,
  path: string,
  pluginBaseUrl: string,
): Promise<string> {
  const rest = path.replace(/^\/+/, '');
  if (!settings.origin) {
    return `${pluginBaseUrl}/ui/${encodeURIComponent(tool)}/${rest}`;
  }
  const { token } = await auth.getPluginRequestToken({
    onBehalfOf: credentials,
    targetPluginId: 'llm-ops',
  });
  const next = `/api/llm-ops/ui-origin/${encodeURIComponent(tool)}/${rest}`;
  const query = new URLSearchParams({ token, next });
  return `${settings.origin}/api/llm-ops/ui-origin/session?${query}`;
}

/** One cookie of a request, by name. */
function readCookie(req: express.Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}
