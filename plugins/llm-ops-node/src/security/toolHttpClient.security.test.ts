import http from 'node:http';
import { AddressInfo } from 'node:net';
import { toolErrorData } from '../tools/ToolError';
import { ToolHttpClient } from '../adapters/ToolHttpClient';

const LIMIT = 64 * 1024;

/** Loopback routes: a body with its length, one that never ends, a stream. */
function startServer() {
  const server = http.createServer((req, res) => {
    if (req.url === '/sized') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ pad: 'x'.repeat(LIMIT) }));
    } else if (req.url === '/endless') {
      // chunked, no length: more than the limit, then it stalls
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(`{"pad":"${'x'.repeat(LIMIT)}`);
    } else if (req.url?.startsWith('/watch')) {
      // a watch: many small lines, more than the limit in all
      res.writeHead(200, { 'content-type': 'application/json' });
      for (let i = 0; i < 200; i++) {
        res.write(`${JSON.stringify({ i, pad: 'x'.repeat(1000) })}\n`);
      }
      res.end();
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"small":true}');
    }
  });
  return new Promise<{ url: string; stop: () => Promise<unknown> }>(resolve =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        stop: () => {
          server.closeAllConnections();
          return new Promise(r => server.close(r));
        },
      }),
    ),
  );
}

describe('ToolHttpClient security', () => {
  it('finding 5: a tool response body over the cap is an error naming the tool and the limit, read as a stream; watch streams still work', async () => {
    const server = await startServer();
    try {
      const client = new ToolHttpClient({
        tool: 'mlflow',
        baseUrl: server.url,
        maxBodyBytes: LIMIT,
        timeoutMs: 3000,
        retries: 0,
      });
      await expect(client.json('/small')).resolves.toEqual({ small: true });
      for (const route of ['/sized', '/endless']) {
        const error = await client.json(route).then(
          () => new Error('resolved'),
          (e: Error) => e,
        );
        expect(error.message).toBe(
          'mlflow: the response body is larger than the limit of 65536 bytes',
        );
        expect(toolErrorData(error)).toEqual({
          tool: 'mlflow',
          reason: 'response-too-large',
        });
      }
      const text = await (await client.request('/sized')).text().catch(e => e);
      expect(String(text)).toMatch(/larger than the limit/);
      expect(
        new ToolHttpClient({ tool: 'x', baseUrl: server.url }).maxBodyBytes,
      ).toBe(10 * 1024 * 1024);

      // a body iterated as it arrives (KubernetesResources.watch) is not capped
      const response = await client.request('/watch');
      let lines = 0;
      let bytes = 0;
      for await (const chunk of response.body ?? []) {
        bytes += (chunk as Uint8Array).byteLength;
        lines +=
          new TextDecoder().decode(chunk as Uint8Array).split('\n').length - 1;
      }
      expect(bytes).toBeGreaterThan(LIMIT);
      expect(lines).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
