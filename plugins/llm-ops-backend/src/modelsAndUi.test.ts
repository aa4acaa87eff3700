import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  SchedulerService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { llmOpsPlugin } from './plugin';
import { createTestTools } from './__testUtils__/testAdapters';
import { baseModel, fineTuned } from './__testUtils__/fixtures';

jest.setTimeout(60_000);

/** A tool UI that refuses to be framed, and echoes what it was sent. */
async function startToolUi() {
  const seen: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers);
    if (req.url === '/old') {
      res
        .writeHead(302, { location: `http://${req.headers.host}/new?x=1` })
        .end();
      return;
    }
    res.writeHead(200, {
      'content-type': 'text/html',
      'x-frame-options': 'DENY',
      'content-security-policy': "default-src 'self'; frame-ancestors 'none'",
      'x-tool-header': 'kept',
    });
    res.end(`<html>tool page ${req.method} ${req.url}</html>`);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, close: () => server.close() };
}

/** The mock scheduler runs the delivery task when a test triggers it. */
function testScheduler() {
  return mockServices.scheduler() as SchedulerService & {
    factory(options: { skipTaskRunOnStartup: boolean }): ServiceFactory;
  };
}

async function start(
  options: {
    ui?: object;
    permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    anonymous?: boolean;
    scheduler?: ReturnType<typeof testScheduler>;
  } = {},
) {
  const tools = createTestTools();
  tools.tracker.models.set('support-assistant', {
    name: 'support-assistant',
    aliases: { champion: '1' },
    versions: [
      { version: '1', status: 'READY', runId: 'run-a' },
      { version: '2', status: 'READY', runId: 'run-b' },
    ],
  });
  const backend = await startTestBackend({
    features: [
      llmOpsPlugin,
      tools.module,
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://portal.test:3000' },
          llmOps: {
            circuitBreaker: {
              failureThreshold: 1,
              cooldownMs: 1,
              callTimeoutMs: 300,
            },
            queue: { baseDelayMs: 1, maxDelayMs: 5 },
            ui: options.ui ?? {},
            uiProxy: { sameOriginEmbedding: true },
          },
        },
      }),
      catalogServiceMock.factory({ entities: [baseModel, fineTuned] }),
      mockServices.permissions.factory(
        options.permission ? { result: options.permission } : undefined,
      ),
      ...(options.anonymous
        ? [
            mockServices.httpAuth.factory({
              defaultCredentials: mockCredentials.none(),
            }),
          ]
        : []),
      ...(options.scheduler
        ? [options.scheduler.factory({ skipTaskRunOnStartup: true })]
        : []),
    ],
  });
  return { server: backend.server, tools };
}

describe('registered models', () => {
  it('reads a model with its versions and aliases, and 404s an unknown one', async () => {
    const { server } = await start();
    const res = await request(server).get(
      '/api/llm-ops/v1/models/support-assistant',
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      stale: false,
      name: 'support-assistant',
      aliases: { champion: '1' },
      versions: [{ version: '1' }, { version: '2' }],
    });
    const missing = await request(server).get('/api/llm-ops/v1/models/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({
      status: 'error',
      message: expect.stringContaining('nope'),
    });
  });

  it('lists the runs that trained a model, by their artifact tag', async () => {
    const { server, tools } = await start();
    tools.tracker.runs.set('a', {
      experimentName: 'e',
      params: {},
      tags: { 'llmops.artifact_name': 'support-assistant' },
    });
    tools.tracker.runs.set('b', {
      experimentName: 'e',
      params: {},
      tags: { 'llmops.artifact_name': 'other' },
    });
    const res = await request(server).get(
      '/api/llm-ops/v1/models/support-assistant/runs?maxResults=50',
    );
    expect(res.status).toBe(200);
    expect(res.body.data.items.map((r: { id: string }) => r.id)).toEqual([
      'run-a',
    ]);
  });

  it('points an alias at a version, and refuses an unknown version or a malformed request', async () => {
    const { server, tools } = await start();
    const set = await request(server)
      .put('/api/llm-ops/v1/models/support-assistant/aliases/champion')
      .send({ version: '2' });
    expect(set.status).toBe(200);
    expect(
      tools.tracker.models.get('support-assistant')!.aliases.champion,
    ).toBe('2');

    const unknown = await request(server)
      .put('/api/llm-ops/v1/models/support-assistant/aliases/champion')
      .send({ version: '9' });
    expect(unknown.status).toBe(404);

    const malformed = await request(server)
      .put('/api/llm-ops/v1/models/support-assistant/aliases/champion')
      .send({ version: 'latest' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.message).toMatch(/version/);
    const badAlias = await request(server)
      .put('/api/llm-ops/v1/models/support-assistant/aliases/1st%20place')
      .send({ version: '1' });
    expect(badAlias.status).toBe(400);
    expect(tools.tracker.models.get('support-assistant')!.aliases).toEqual({
      champion: '2',
    });
  });

  it('refuses an alias change that the permission policy denies', async () => {
    const { server, tools } = await start({ permission: AuthorizeResult.DENY });
    const res = await request(server)
      .put('/api/llm-ops/v1/models/support-assistant/aliases/champion')
      .send({ version: '2' });
    expect(res.status).toBe(403);
    expect(res.body.message).toContain('llmops.model.alias.update');
    expect(
      tools.tracker.models.get('support-assistant')!.aliases.champion,
    ).toBe('1');
  });

  it('answers the last known model, marked stale, while MLflow is down', async () => {
    const { server, tools } = await start();
    await request(server)
      .get('/api/llm-ops/v1/models/support-assistant')
      .expect(200);
    tools.tracker.mode = 'down';
    const res = await request(server).get(
      '/api/llm-ops/v1/models/support-assistant',
    );
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      stale: true,
      aliases: { champion: '1' },
    });
  });

  it('queues an alias change while MLflow is down, a newer change superseding it, and delivers it once MLflow is back', async () => {
    const scheduler = testScheduler();
    const { server, tools } = await start({ scheduler });
    tools.tracker.models
      .get('support-assistant')!
      .versions.push({ version: '3', status: 'READY' });
    tools.tracker.mode = 'down';
    const put = (version: string) =>
      request(server)
        .put('/api/llm-ops/v1/models/support-assistant/aliases/champion')
        .send({ version });
    const first = await put('2');
    expect(first.status).toBe(202);
    expect(first.body.data).toMatchObject({ status: 'queued', version: '2' });
    expect((await put('3')).status).toBe(202);

    tools.tracker.mode = 'up';
    await new Promise(r => setTimeout(r, 10)); // past the circuit's cooldown
    await scheduler.triggerTask('llm-ops-delivery');
    const model = tools.tracker.models.get('support-assistant')!;
    expect(model.aliases.champion).toBe('3');
    // Only the newer change was delivered: the superseded one never ran.
    expect(tools.tracker.aliasSets).toEqual([
      { name: 'support-assistant', alias: 'champion', version: '3' },
    ]);
  });
});

describe('the tool UI proxy', () => {
  let tool: Awaited<ReturnType<typeof startToolUi>>;
  beforeEach(async () => {
    tool = await startToolUi();
  });
  afterEach(() => tool.close());

  const ui = () => ({
    mlflow: { url: tool.url, token: 'tool-secret' },
    ray: {
      url: 'http://127.0.0.1:9',
      embed: false,
      publicUrl: 'https://ray.example.com',
    },
  });

  it('lists the tool UIs without their addresses or credentials', async () => {
    const { server } = await start({ ui: ui() });
    const res = await request(server).get('/api/llm-ops/v1/ui');
    expect(res.body.data.items).toEqual([
      { tool: 'mlflow', embeddable: true, proxyPath: '/ui/mlflow/' },
      {
        tool: 'ray',
        embeddable: false,
        proxyPath: '/ui/ray/',
        publicUrl: 'https://ray.example.com',
      },
    ]);
    expect(JSON.stringify(res.body)).not.toContain('tool-secret');
    expect(JSON.stringify(res.body)).not.toContain(tool.url);
  });

  it('serves the tool without its framing headers, with its own credentials instead of the user’s', async () => {
    const { server } = await start({ ui: ui() });
    const res = await request(server)
      .get('/api/llm-ops/ui/mlflow/static-files/app.js?v=1')
      .set('Cookie', mockCredentials.limitedUser.cookie())
      .set('Origin', 'http://portal.test:3000');
    expect(res.status).toBe(200);
    expect(res.text).toBe(
      '<html>tool page GET /static-files/app.js?v=1</html>',
    );
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'self'; frame-ancestors 'self' http://portal.test:3000",
    );
    expect(res.headers['x-tool-header']).toBe('kept');
    const sent = tool.seen.at(-1)!;
    expect(sent.authorization).toBe('Bearer tool-secret');
    expect(sent.cookie).toBeUndefined();
    expect(sent.origin).toBe(tool.url);

    const redirect = await request(server).get('/api/llm-ops/ui/mlflow/old');
    expect(redirect.status).toBe(302);
    expect(redirect.headers.location).toBe('/api/llm-ops/ui/mlflow/new?x=1');
  });

  it('rejects any other target: unknown tools, link-out-only tools, other hosts', async () => {
    const { server } = await start({ ui: ui() });
    for (const path of ['/ui/unknown/', '/ui/ray/', '/ui/http://evil.test/']) {
      const res = await request(server).get(`/api/llm-ops${path}`);
      expect(res.status).toBe(404);
    }
    // A path that looks like another host still reaches the configured tool.
    const sneaky = await request(server).get(
      '/api/llm-ops/ui/mlflow//evil.test/x',
    );
    expect(sneaky.text).toContain('tool page GET /evil.test/x');
    expect(tool.seen.at(-1)!.host).toBe(new URL(tool.url).host);
  });

  it('needs a signed-in user (token or cookie)', async () => {
    const { server } = await start({ ui: ui(), anonymous: true });
    const anonymous = await request(server).get('/api/llm-ops/ui/mlflow/');
    expect(anonymous.status).toBe(401);
    const forged = await request(server)
      .get('/api/llm-ops/ui/mlflow/')
      .set('Cookie', mockCredentials.limitedUser.invalidCookie());
    expect(forged.status).toBe(401);
    const withCookie = await request(server)
      .get('/api/llm-ops/ui/mlflow/')
      .set('Cookie', mockCredentials.limitedUser.cookie());
    expect(withCookie.status).toBe(200);
    expect(tool.seen).toHaveLength(1);
  });
});
