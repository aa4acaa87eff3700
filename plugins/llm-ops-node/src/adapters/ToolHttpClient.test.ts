import http from 'node:http';
import { AddressInfo } from 'node:net';
import { toolErrorData } from '../tools/ToolError';
import { ToolHttpClient } from './ToolHttpClient';

/** A loopback server that answers each request with the next scripted reply. */
function scriptedServer() {
  const replies: Array<(res: http.ServerResponse) => void> = [];
  const seen: Array<{
    method: string;
    url: string;
    auth?: string;
    body: string;
  }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', c => (body += c));
    req.on('end', () => {
      seen.push({
        method: req.method!,
        url: req.url!,
        auth: req.headers.authorization,
        body,
      });
      (replies.shift() ?? (r => r.writeHead(200).end('{}')))(res);
    });
  });
  return {
    seen,
    reply: (
      status: number,
      body: unknown = {},
      headers: Record<string, string> = {},
    ) =>
      replies.push(res =>
        res
          .writeHead(status, { 'content-type': 'application/json', ...headers })
          .end(JSON.stringify(body)),
      ),
    hang: () => replies.push(() => {}),
    start: () =>
      new Promise<string>(resolve =>
        server.listen(0, '127.0.0.1', () =>
          resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
        ),
      ),
    stop: () => {
      server.closeAllConnections();
      return new Promise(resolve => server.close(resolve));
    },
  };
}

describe('ToolHttpClient', () => {
  let server: ReturnType<typeof scriptedServer>;
  let baseUrl: string;
  const client = (
    options: Partial<ConstructorParameters<typeof ToolHttpClient>[0]> = {},
  ) =>
    new ToolHttpClient({
      tool: 'mlflow',
      baseUrl,
      retryDelayMs: 1,
      ...options,
    });

  beforeEach(async () => {
    server = scriptedServer();
    baseUrl = await server.start();
  });
  afterEach(() => server.stop());

  it('retries an idempotent request after transient failures', async () => {
    server.reply(503, { message: 'busy' });
    server.reply(502);
    server.reply(200, { ok: true });
    await expect(
      client().json<any>('/x', {
        query: { a: 1, b: ['p', 'q'], c: undefined },
      }),
    ).resolves.toEqual({ ok: true });
    expect(server.seen.map(s => s.url)).toEqual(
      Array(3).fill('/x?a=1&b=p&b=q'),
    );
  });

  it('gives up after the configured retries with a ToolError', async () => {
    for (let i = 0; i < 3; i++) server.reply(503, { message: 'busy' });
    const error = await client({ retries: 1 })
      .json<any>('/x')
      .catch((e: any) => e);
    expect(server.seen).toHaveLength(2);
    expect(error.name).toBe('ToolError');
    expect(error.statusCode).toBe(503);
    expect(toolErrorData(error)).toEqual({
      tool: 'mlflow',
      reason: 'http-503',
    });
    expect(error.message).toBe('mlflow: busy');
  });

  it('does not retry a POST unless told it is idempotent', async () => {
    server.reply(503);
    await expect(
      client().request('/x', { method: 'POST', json: { a: 1 } }),
    ).rejects.toThrow();
    expect(server.seen).toHaveLength(1);
    expect(server.seen[0].body).toBe('{"a":1}');
    server.reply(503);
    await client().request('/x', {
      method: 'POST',
      json: { a: 1 },
      idempotent: true,
    });
    expect(server.seen).toHaveLength(3);
  });

  it.each([
    [400, 400, 'invalid-request'],
    [422, 400, 'invalid-request'],
    [404, 404, 'not-found'],
    [409, 409, 'conflict'],
    [401, 503, 'unauthorized'],
  ])(
    'maps a %s to a ToolError answered with %s, carrying {tool, reason: %s}, without retrying',
    async (status, statusCode, reason) => {
      server.reply(status, { error_code: 'X', message: 'the tool said no' });
      const error = await client()
        .json<any>('/x')
        .catch((e: any) => e);
      expect(error.name).toBe('ToolError');
      expect(error.statusCode).toBe(statusCode);
      expect(toolErrorData(error)).toEqual({ tool: 'mlflow', reason });
      expect(error.message).toBe('mlflow: the tool said no');
      expect(server.seen).toHaveLength(1);
    },
  );

  it('times out each attempt, and reports a refused connection', async () => {
    server.hang();
    server.hang();
    const timeout = await client({ timeoutMs: 100, retries: 1 })
      .json<any>('/x')
      .catch((e: any) => e);
    expect(toolErrorData(timeout)).toEqual({
      tool: 'mlflow',
      reason: 'timeout',
    });
    expect(server.seen).toHaveLength(2);

    const closed = scriptedServer();
    const closedUrl = await closed.start();
    await closed.stop();
    const refused = await client({ baseUrl: closedUrl, retries: 0 })
      .json<any>('/x')
      .catch((e: any) => e);
    expect(toolErrorData(refused)).toEqual({
      tool: 'mlflow',
      reason: 'network',
    });
    expect(refused.message).toMatch(/ECONNREFUSED/);
  });

  it("stops at once when the caller's signal aborts", async () => {
    server.hang();
    const controller = new AbortController();
    const pending = client({ retries: 3 })
      .json<any>('/x', { signal: controller.signal })
      .catch((e: any) => e);
    setTimeout(() => controller.abort(), 50);
    const error = await pending;
    expect(error.name).toBe('AbortError');
    expect(toolErrorData(error)).toBeUndefined();
  });

  it('sends the credentials, and never puts them in an error message', async () => {
    const token = 'sekret-token-123';
    server.reply(500, { message: `invalid token ${token}` });
    const error = await client({ auth: { type: 'bearer', token }, retries: 0 })
      .json<any>('/x')
      .catch((e: any) => e);
    expect(server.seen[0].auth).toBe(`Bearer ${token}`);
    expect(error.message).toBe('mlflow: invalid token ***');

    server.reply(403, { message: 'bad basic dXNlcjpwYXNz for user:pass' });
    const basic = await client({
      auth: { type: 'basic', username: 'user', password: 'pass' },
    })
      .json<any>('/x')
      .catch((e: any) => e);
    expect(server.seen[1].auth).toBe('Basic dXNlcjpwYXNz');
    expect(basic.message).not.toMatch(/dXNlcjpwYXNz|pass/);
  });

  it("treats the Hub's X-Error-Code RepoNotFound as a not-found", async () => {
    server.reply(
      401,
      { error: 'Repository not found' },
      { 'x-error-code': 'RepoNotFound' },
    );
    const error = await client({ tool: 'huggingface' })
      .json<any>('/api/models/a/b')
      .catch((e: any) => e);
    expect(error.name).toBe('ToolError');
    expect(error.statusCode).toBe(404);
    expect(error.message).toBe('huggingface: Repository not found');
  });
});
