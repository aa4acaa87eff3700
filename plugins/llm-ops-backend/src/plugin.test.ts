import http from 'node:http';
import { AddressInfo } from 'node:net';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { llmOpsPlugin } from './plugin';

/** A real HTTP server that answers like MLflow's `/health`. */
async function startHealthServer() {
  const server = http.createServer((req, res) => {
    res.statusCode = req.url === '/health' ? 200 : 404;
    res.end('OK');
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}` };
}

/** A port that nothing listens on. */
async function closedPortUrl() {
  const { server, url } = await startHealthServer();
  await new Promise(resolve => server.close(resolve));
  return url;
}

describe('llmOpsPlugin', () => {
  it('reports each tool as configured and reachable or not', async () => {
    const mlflow = await startHealthServer();
    const argoUrl = await closedPortUrl();
    const { server } = await startTestBackend({
      features: [
        llmOpsPlugin,
        mockServices.rootConfig.factory({
          data: {
            llmOps: {
              integrations: {
                mlflow: { baseUrl: mlflow.url, token: 'secret-token' },
                argo: { baseUrl: argoUrl },
                rayserve: { enabled: false, cluster: 'local' },
                huggingface: { endpoint: 'http://127.0.0.1:9' },
              },
            },
          },
        }),
      ],
    });

    const res = await request(server).get('/api/llm-ops/v1/health');

    expect(res.status).toBe(200);
    expect(res.body.status).toBe('success');
    expect(res.body.message).toBe('1 of 6 integrations reachable');
    const byTool = Object.fromEntries(
      res.body.data.integrations.map((i: { tool: string }) => [i.tool, i]),
    );
    expect(Object.keys(byTool).sort()).toEqual(
      ['argo', 'dvc', 'huggingface', 'kserve', 'mlflow', 'rayserve'],
    );
    expect(byTool.mlflow).toMatchObject({
      configured: true,
      enabled: true,
      reachable: true,
      category: 'experiment-tracking',
    });
    expect(byTool.argo).toMatchObject({ configured: true, reachable: false });
    // The public health answer carries no error text; /integrations does.
    expect(byTool.argo.lastError).toBeUndefined();
    expect(byTool.kserve).toMatchObject({ configured: false, reachable: false });
    expect(byTool.rayserve).toMatchObject({ enabled: false, reachable: false });
    expect(JSON.stringify(res.body)).not.toContain('secret-token');

    const detailed = await request(server).get('/api/llm-ops/v1/integrations');
    const detail = Object.fromEntries(
      detailed.body.data.integrations.map((i: { tool: string }) => [i.tool, i]),
    );
    expect(detail.argo.lastError).toMatch(/fetch failed|ECONNREFUSED/);
    expect(detail.argo.circuit).toBe('closed');
    expect(detail.dvc.lastError).toBe('llmOps.integrations.dvc is not configured');
    mlflow.server.close();
  });

  it('wraps unknown routes in the error envelope and requires credentials', async () => {
    const { server } = await startTestBackend({
      features: [
        llmOpsPlugin,
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });

    const anonymous = await request(server).get('/api/llm-ops/v1/nope');
    expect(anonymous.status).toBe(401);

    const res = await request(server)
      .get('/api/llm-ops/v1/nope')
      .set('authorization', mockCredentials.user.header());
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      status: 'error',
      message: 'No such llm-ops API route',
      data: { name: 'NotFoundError' },
    });
  });
});
