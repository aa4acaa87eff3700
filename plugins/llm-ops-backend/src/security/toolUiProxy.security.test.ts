/*
 * The tool UI proxy lends the portal's tool credentials to no one: each
 * finding of the review, against a real permission backend and policy, and
 * a tool UI that records what reached it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  toolUiUsePermission,
  toolUiWritePermission,
} from '@llmops/plugin-llm-ops-common';
import request from 'supertest';
import { llmOpsPlugin } from '../plugin';
import {
  createToolUiConditionalDecision,
  loadToolUiResources,
  toolUiConditions,
  toolUiRules,
} from '../service/toolUiPermissions';
import { baseModel, fineTuned } from '../__testUtils__/fixtures';
import { policyPermissions } from '../__testUtils__/policyPermissions';

jest.setTimeout(60_000);

const ADA = 'user:default/ada'; // may use and change every tool UI
const INTERN = 'user:default/intern'; // may use Argo's UI only, and change nothing

/** A real policy, with the IS_TOOL condition on the tool UI permissions. */
class ToolUiPolicy implements PermissionPolicy {
  async handle(
    query: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const who = user?.info.userEntityRef;
    if (isPermission(query.permission, toolUiUsePermission) && who === INTERN) {
      return createToolUiConditionalDecision(
        query.permission,
        toolUiConditions.isTool({ tools: ['argo'] }),
      );
    }
    if (isPermission(query.permission, toolUiWritePermission)) {
      return {
        result: who === ADA ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
      };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

const permissions = policyPermissions({
  rules: toolUiRules,
  load: async ref => (await loadToolUiResources([ref]))[0],
  decide: (permission, userEntityRef) =>
    new ToolUiPolicy().handle(
      { permission },
      userEntityRef
        ? ({ info: { userEntityRef } } as PolicyQueryUser)
        : undefined,
    ),
});

/** A tool UI that records each request, sets a cookie, and can redirect off-site or hang. */
async function startTool() {
  const seen: Array<{
    method: string;
    url: string;
    headers: http.IncomingHttpHeaders;
  }> = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers });
    if (req.url === '/away') {
      res.writeHead(302, { location: 'https://evil.example.com/phish' }).end();
      return;
    }
    if (req.url === '/slow') return; // never answers
    res.writeHead(200, {
      'content-type': 'text/html',
      'set-cookie': 'tool-session=abc; Path=/',
    });
    res.end(`tool ${req.method} ${req.url}`);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

let tool: Awaited<ReturnType<typeof startTool>>;
beforeEach(async () => {
  tool = await startTool();
});
afterEach(() => tool.close());

async function start(options: { uiProxy?: object; ui?: object } = {}) {
  const { server } = await startTestBackend({
    features: [
      llmOpsPlugin,
      permissions,
      catalogServiceMock.factory({ entities: [baseModel, fineTuned] }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://portal.test:3000' },
          backend: { baseUrl: 'http://portal.test:7007' },
          llmOps: {
            uiProxy: options.uiProxy ?? { sameOriginEmbedding: true },
            ui: {
              mlflow: { url: tool.url, token: 'tool-secret', timeoutMs: 500 },
              argo: { url: tool.url },
              ...options.ui,
            },
          },
        },
      }),
    ],
  });
  return server;
}

const as = (user: string) => mockCredentials.user.header(user);
const PORTAL = 'http://portal.test:7007';

describe('the tool UI proxy (security review)', () => {
  it('authorizes llmops.toolUi.use per tool: a user the policy denies one tool gets 403, and the tool is not called', async () => {
    const server = await start();
    const denied = await request(server)
      .get('/api/llm-ops/ui/mlflow/')
      .set('authorization', as(INTERN));
    expect(denied.status).toBe(403);
    expect(denied.body.message).toMatch(/llmops\.toolUi\.use on mlflow/);
    expect(tool.seen).toHaveLength(0);
    const allowed = await request(server)
      .get('/api/llm-ops/ui/argo/')
      .set('authorization', as(INTERN));
    expect(allowed.status).toBe(200);
    expect(tool.seen).toHaveLength(1);
    // The portal does not hand out a session to the denied tool either.
    const session = await request(server)
      .post('/api/llm-ops/v1/ui/mlflow/session')
      .set('authorization', as(INTERN))
      .send({ path: '' });
    expect(session.status).toBe(403);
  });

  it('is read-only by default: a write through the proxy is 403 even for a user who may use the UI', async () => {
    const server = await start();
    for (const [method, path] of [
      ['post', '/ajax-api/2.0/mlflow/registered-models/delete'],
      ['delete', '/ajax-api/2.0/mlflow/registered-models/delete'],
      ['post', '/ajax-api/2.0/mlflow/registered-models/alias'],
      ['patch', '/ajax-api/2.0/mlflow/registered-models/update'],
    ] as const) {
      const res = await request(server)
        [method](`/api/llm-ops/ui/mlflow${path}`)
        .set('authorization', as(ADA))
        .set('origin', PORTAL)
        .send({ name: 'support-assistant' });
      expect({ method, path, status: res.status }).toEqual({
        method,
        path,
        status: 403,
      });
      expect(res.body.message).toMatch(/read-only/);
    }
    expect(tool.seen).toHaveLength(0);
  });

  it('passes the read-style POSTs of the tool UI, such as MLflow runs/search', async () => {
    const server = await start();
    const res = await request(server)
      .post('/api/llm-ops/ui/mlflow/ajax-api/2.0/mlflow/runs/search')
      .set('authorization', as(ADA))
      .set('origin', PORTAL)
      .send({ experiment_ids: ['1'] });
    expect(res.status).toBe(200);
    expect(tool.seen.map(s => `${s.method} ${s.url}`)).toEqual([
      'POST /ajax-api/2.0/mlflow/runs/search',
    ]);
    // the tool sees its own origin and credentials, not the user's
    expect(tool.seen[0].headers.origin).toBe(tool.url);
    expect(tool.seen[0].headers.authorization).toBe('Bearer tool-secret');
  });

  it('lets writes through only where config allows them, and then only under llmops.toolUi.write', async () => {
    const server = await start({
      ui: { mlflow: { url: tool.url, allowWrites: true } },
    });
    const path =
      '/api/llm-ops/ui/mlflow/ajax-api/2.0/mlflow/registered-models/delete';
    const intern = await request(server)
      .delete(path)
      .set('authorization', as(INTERN))
      .set('origin', PORTAL);
    expect(intern.status).toBe(403);
    const someone = await request(server)
      .delete(path)
      .set('authorization', as('user:default/bob'))
      .set('origin', PORTAL);
    expect(someone.status).toBe(403);
    expect(someone.body.message).toMatch(/llmops\.toolUi\.write on mlflow/);
    expect(tool.seen).toHaveLength(0);
    const ada = await request(server)
      .delete(path)
      .set('authorization', as(ADA))
      .set('origin', PORTAL);
    expect(ada.status).toBe(200);
    expect(tool.seen).toHaveLength(1);
  });

  it('refuses service principals, which would otherwise reach the tool with the portal credentials', async () => {
    const server = await start();
    const res = await request(server)
      .get('/api/llm-ops/ui/mlflow/')
      .set('authorization', mockCredentials.service.header());
    expect(res.status).toBe(403);
    const session = await request(server)
      .post('/api/llm-ops/v1/ui/mlflow/session')
      .set('authorization', mockCredentials.service.header())
      .send({ path: '' });
    expect(session.status).toBe(403);
    expect(tool.seen).toHaveLength(0);
  });

  it('refuses a state-changing request from a foreign Origin or a cross-site fetch (CSRF), and forwards no foreign Origin', async () => {
    const server = await start();
    const path = '/api/llm-ops/ui/mlflow/ajax-api/2.0/mlflow/runs/search';
    const foreign = await request(server)
      .post(path)
      .set('authorization', as(ADA))
      .set('origin', 'https://evil.example.com')
      .send({});
    expect(foreign.status).toBe(403);
    const crossSite = await request(server)
      .post(path)
      .set('authorization', as(ADA))
      .set('sec-fetch-site', 'cross-site')
      .send({});
    expect(crossSite.status).toBe(403);
    expect(tool.seen).toHaveLength(0);
    // A read may come from anywhere, but the foreign Origin is not passed on.
    await request(server)
      .get('/api/llm-ops/ui/mlflow/x')
      .set('authorization', as(ADA))
      .set('origin', 'https://evil.example.com');
    expect(tool.seen.at(-1)!.headers.origin).toBeUndefined();
  });

  it("forwards only an allowlist of request headers, and never the tool's Set-Cookie", async () => {
    const server = await start();
    const res = await request(server)
      .get('/api/llm-ops/ui/mlflow/page')
      .set('authorization', as(ADA))
      .set('cookie', 'backstage-session=secret')
      .set('x-forwarded-for', '10.0.0.1')
      .set('x-api-key', 'users-key')
      .set('accept-language', 'de');
    expect(res.status).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    const sent = tool.seen.at(-1)!.headers;
    expect(sent.cookie).toBeUndefined();
    expect(sent['x-forwarded-for']).toBeUndefined();
    expect(sent['x-api-key']).toBeUndefined();
    expect(sent['accept-language']).toBe('de');
    expect(sent.authorization).toBe('Bearer tool-secret');
  });

  it("replaces a redirect off the tool's origin with the tool's root in the proxy", async () => {
    const server = await start();
    const res = await request(server)
      .get('/api/llm-ops/ui/mlflow/away')
      .set('authorization', as(ADA));
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/api/llm-ops/ui/mlflow/');
  });

  it('gives up on a tool that does not answer after its timeout, with a 504 in the envelope', async () => {
    const server = await start();
    const res = await request(server)
      .get('/api/llm-ops/ui/mlflow/slow')
      .set('authorization', as(ADA));
    expect(res.status).toBe(504);
    expect(res.body).toEqual({
      status: 'error',
      message: "mlflow's UI did not answer within 500 ms",
      data: { tool: 'mlflow' },
    });
  });

  it('links out by default: without a proxy origin or the same-origin opt-in, nothing is proxied on the portal origin', async () => {
    const server = await start({ uiProxy: {} });
    const res = await request(server)
      .get('/api/llm-ops/ui/mlflow/')
      .set('authorization', as(ADA));
    expect(res.status).toBe(404);
    expect(res.body.message).toMatch(/linked to, not proxied/);
    const list = await request(server)
      .get('/api/llm-ops/v1/ui')
      .set('authorization', as(ADA));
    expect(
      list.body.data.items.map((u: { embeddable: boolean }) => u.embeddable),
    ).toEqual([false, false]);
    expect(tool.seen).toHaveLength(0);
  });

  it('serves the proxy from its own origin under a host-only session cookie minted for the user, and not from the portal origin', async () => {
    const origin = 'http://tools.test:7007';
    const server = await start({ uiProxy: { origin } });
    // not on the portal's origin
    const onPortal = await request(server)
      .get('/api/llm-ops/ui/mlflow/')
      .set('authorization', as(ADA));
    expect(onPortal.status).toBe(404);

    const session = await request(server)
      .post('/api/llm-ops/v1/ui/mlflow/session')
      .set('authorization', as(ADA))
      .send({ path: '#/experiments/1' });
    expect(session.status).toBe(200);
    const link = new URL(session.body.data.url);
    expect(link.origin).toBe(origin);
    expect(link.pathname).toBe('/api/llm-ops/ui-origin/session');
    expect(link.searchParams.get('next')).toBe(
      '/api/llm-ops/ui-origin/mlflow/#/experiments/1',
    );

    // on the proxy's origin: the link sets a host-only, HttpOnly cookie
    const opened = await request(server)
      .get(`${link.pathname}${link.search}`)
      .set('host', 'tools.test:7007');
    expect(opened.status).toBe(302);
    expect(opened.headers.location).toBe(
      '/api/llm-ops/ui-origin/mlflow/#/experiments/1',
    );
    const [cookie] = opened.headers['set-cookie'] as unknown as string[];
    expect(cookie).toMatch(
      /^llmops-ui-session=.+; Path=\/api\/llm-ops\/ui-origin; HttpOnly; SameSite=Lax; Max-Age=\d+$/,
    );
    expect(cookie).not.toMatch(/Domain=/i);
    const value = cookie.split(';')[0];

    const page = await request(server)
      .get('/api/llm-ops/ui-origin/mlflow/')
      .set('host', 'tools.test:7007')
      .set('cookie', value);
    expect(page.status).toBe(200);
    expect(page.text).toBe('tool GET /');
    // no session, another host, or a forged token: nothing reaches the tool
    const without = await request(server)
      .get('/api/llm-ops/ui-origin/mlflow/')
      .set('host', 'tools.test:7007');
    expect(without.status).toBe(401);
    const elsewhere = await request(server)
      .get('/api/llm-ops/ui-origin/mlflow/')
      .set('cookie', value);
    expect(elsewhere.status).toBe(404);
    const forged = await request(server)
      .get(
        `/api/llm-ops/ui-origin/session?token=forged&next=${encodeURIComponent(
          '/api/llm-ops/ui-origin/mlflow/',
        )}`,
      )
      .set('host', 'tools.test:7007');
    expect(forged.status).toBe(401);
    // the session link never redirects off the proxy
    const open = await request(server)
      .get(
        `${link.pathname}?token=${encodeURIComponent(
          link.searchParams.get('token')!,
        )}&next=${encodeURIComponent('https://evil.example.com/')}`,
      )
      .set('host', 'tools.test:7007');
    expect(open.status).toBe(400);
    expect(tool.seen).toHaveLength(1);
  });
});
