import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import Router from 'express-promise-router';
import { createProxyMiddleware } from 'http-proxy-middleware';
import type { Config } from '@backstage/config';
import { NotFoundError } from '@backstage/errors';
import type { ToolUi } from '@llmops/plugin-llm-ops-common';

/** A tool UI that the proxy serves, read from config. */
export interface ToolUiTarget {
  tool: string;
  /** The tool's address as the backend reaches it; the only proxy target. */
  url: string;
  embed: boolean;
  publicUrl?: string;
  /** The tool's credentials, added on the server; never sent to the browser. */
  headers: Record<string, string>;
}

/** The tool integrations whose UI is served from their API address by default. */
const DEFAULT_UI_TOOLS = ['mlflow', 'argo'];

function authHeaders(c: Config | undefined): Record<string, string> {
  const token = c?.getOptionalString('token');
  if (token) return { authorization: `Bearer ${token}` };
  const username = c?.getOptionalString('username');
  if (username) {
    const password = c?.getOptionalString('password') ?? '';
    return { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` };
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
    const url = own?.getOptionalString('url') ?? integration?.getOptionalString('baseUrl');
    if (!url) continue;
    targets.push({
      tool,
      url: url.replace(/\/+$/, ''),
      embed: own?.getOptionalBoolean('embed') ?? true,
      publicUrl: own?.getOptionalString('publicUrl'),
      headers: own ? authHeaders(own) : authHeaders(integration),
    });
  }
  return targets;
}

/** What `GET /v1/ui` tells the frontend: no addresses or credentials inside. */
export function describeToolUis(targets: ToolUiTarget[]): ToolUi[] {
  return targets.map(t => ({
    tool: t.tool,
    embeddable: t.embed,
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

/**
 * The same-origin proxy for tool UIs at `/ui/<tool>/…`, so that a tool that
 * refuses to be framed (X-Frame-Options, CSP frame-ancestors) can be
 * embedded in the portal. Backstage authenticates every request (the user
 * cookie); only the configured tools are served, each only at its own
 * configured address; only the framing headers are removed, and framing
 * is then allowed for the portal's own origins only.
 */
export function createToolUiRouter(
  targets: ToolUiTarget[],
  options: { frameAncestors: string[] },
): express.Router {
  const router = Router();
  const frameAncestors = `frame-ancestors ${["'self'", ...options.frameAncestors].join(' ')}`;
  for (const target of targets.filter(t => t.embed)) {
    const origin = new URL(target.url).origin;
    const prefix = `/ui/${target.tool}`;
    router.use(
      `/${target.tool}`,
      createProxyMiddleware({
        target: target.url,
        changeOrigin: true,
        ws: false,
        logLevel: 'silent',
        // The proxy forwards the full original URL; the tool gets the part
        // below the tool's prefix, on its own address only.
        pathRewrite: (path: string, req: IncomingMessage) => {
          const { baseUrl } = req as express.Request;
          const rest = path.startsWith(baseUrl) ? path.slice(baseUrl.length) : path;
          return rest.startsWith('/') ? rest : `/${rest}`;
        },
        onProxyReq: (proxyReq, req) => {
          // Backstage's credentials stay here; the tool gets its own.
          proxyReq.removeHeader('cookie');
          proxyReq.removeHeader('authorization');
          for (const [name, value] of Object.entries(target.headers)) {
            proxyReq.setHeader(name, value);
          }
          // The tool sees a request from itself, as it would from its own UI.
          if (req.headers.origin) proxyReq.setHeader('origin', origin);
          if (req.headers.referer) proxyReq.setHeader('referer', `${origin}/`);
        },
        onProxyRes: (proxyRes: IncomingMessage, req: IncomingMessage, res: ServerResponse) => {
          // Backstage's own framing headers are set for its pages; the tool's
          // framing headers are dropped; every other header is the tool's.
          res.removeHeader('x-frame-options');
          res.removeHeader('content-security-policy');
          delete proxyRes.headers['x-frame-options'];
          const csp = proxyRes.headers['content-security-policy'];
          const kept = typeof csp === 'string' ? withoutFrameAncestors(csp) : undefined;
          proxyRes.headers['content-security-policy'] = kept
            ? `${kept}; ${frameAncestors}`
            : frameAncestors;
          // A redirect within the tool stays within the proxy.
          const location = proxyRes.headers.location;
          if (location) {
            const base = (req as express.Request).baseUrl ?? prefix;
            const resolved = new URL(location, `${origin}/`);
            if (resolved.origin === origin) {
              proxyRes.headers.location = `${base}${resolved.pathname}${resolved.search}${resolved.hash}`;
            }
          }
        },
      }),
    );
  }
  router.use(() => {
    throw new NotFoundError('No such tool UI; see llmOps.ui in app-config');
  });
  return router;
}
