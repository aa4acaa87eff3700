import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { toolErrorData } from '../tools/ToolError';
import { KubernetesResources } from './KubernetesResources';
import { ToolHttpClient } from './ToolHttpClient';

/** An API server whose watch sends one event, then a line that never ends. */
async function endlessWatchServer() {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write(
      `${JSON.stringify({
        type: 'ADDED',
        object: { metadata: { name: 'a', resourceVersion: '7' } },
      })}\n`,
    );
    const chunk = `{"type":"ADDED","object":{"metadata":{"name":"${'x'.repeat(
      64 * 1024,
    )}`;
    const send = () => {
      if (res.destroyed) return;
      if (res.write(chunk)) setImmediate(send);
      else res.once('drain', send);
    };
    send();
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

describe('KubernetesResources.watch (security review)', () => {
  it('bounds a watch event like any other body, rather than buffering a line without end', async () => {
    const server = await endlessWatchServer();
    try {
      const kube = new KubernetesResources(
        new ToolHttpClient({
          tool: 'kserve',
          baseUrl: server.url,
          timeoutMs: 30_000,
          maxBodyBytes: 1024 * 1024,
        }),
      );
      const seen: string[] = [];
      const error = await kube
        .watch(
          { apiVersion: 'v1', kind: 'Pod', namespace: 'llm-dev' },
          undefined,
          (_type, object) => seen.push(object.metadata.name),
          AbortSignal.timeout(20_000),
        )
        .catch(e => e);
      expect(seen).toEqual(['a']);
      expect(toolErrorData(error)).toEqual({
        tool: 'kserve',
        reason: 'response-too-large',
      });
      expect(error.message).toBe(
        'kserve: a watch event is larger than the limit of 1048576 bytes',
      );
    } finally {
      server.close();
    }
  });
});
