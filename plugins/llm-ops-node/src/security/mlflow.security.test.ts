import http from 'node:http';
import { AddressInfo } from 'node:net';
import { MlflowAdapter } from '../adapters/MlflowAdapter';
import { ToolHttpClient } from '../adapters/ToolHttpClient';

/** MLflow's metric and model-version reads, as its server pages them. */
function fakeMlflow(options: { points: number; bulkInterval: boolean }) {
  const history = Array.from({ length: options.points }, (_, step) => ({
    key: 'loss',
    value: 1 / (step + 1),
    timestamp: 1700000000000 + step,
    step,
  }));
  const asked: Array<{ path: string; maxResults: number }> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    const maxResults = Number(url.searchParams.get('max_results'));
    const reply = (status: number, body: unknown) =>
      res
        .writeHead(status, { 'content-type': 'application/json' })
        .end(JSON.stringify(body));
    asked.push({ path: url.pathname, maxResults });
    switch (url.pathname) {
      case '/api/2.0/mlflow/metrics/get-history': {
        // no max_results: every point at once, as MLflow does
        const offset = Number(url.searchParams.get('page_token') ?? 0);
        const size = maxResults || history.length;
        const more = offset + size < history.length;
        return reply(200, {
          metrics: history.slice(offset, offset + size),
          ...(more && { next_page_token: String(offset + size) }),
        });
      }
      case '/api/2.0/mlflow/metrics/get-history-bulk-interval': {
        if (!options.bulkInterval) return reply(404, { message: 'no route' });
        if (!(maxResults >= 1 && maxResults <= 2500)) {
          return reply(400, { message: 'max_results must be in 1..2500' });
        }
        // evenly sampled, first and last kept
        const n = Math.min(maxResults, history.length);
        const picked = Array.from(
          { length: n },
          (_, i) => history[Math.round((i * (history.length - 1)) / (n - 1))],
        );
        const runId = url.searchParams.get('run_ids');
        return reply(200, {
          metrics: picked.map(m => ({ ...m, run_id: runId })),
        });
      }
      case '/api/2.0/mlflow/registered-models/search':
        return reply(200, {
          registered_models: Array.from({ length: 30 }, (_, i) => ({
            name: `m${i}`,
          })),
        });
      case '/api/2.0/mlflow/model-versions/search': {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        const name = /'(.*)'/.exec(url.searchParams.get('filter')!)![1];
        return setTimeout(() => {
          inFlight--;
          reply(200, { model_versions: [{ name, version: '1' }] });
        }, 20);
      }
      default:
        return reply(404, { message: url.pathname });
    }
  });
  return {
    asked,
    maxInFlight: () => maxInFlight,
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

const adapterOn = (baseUrl: string) =>
  new MlflowAdapter(new ToolHttpClient({ tool: 'mlflow', baseUrl }));

describe('MlflowAdapter security', () => {
  const signal = new AbortController().signal;

  it('finding 4: a metric history is paged and downsampled to at most 10,000 points per call', async () => {
    // points logged, whether MLflow has get-history-bulk-interval, and what
    // the call gives: all of them, MLflow's even sample, or (an older
    // MLflow) the first page
    for (const [points, bulkInterval, count, lastStep] of [
      [3, true, 3, 2],
      [10_000, true, 10_000, 9_999],
      [25_000, true, 2500, 24_999],
      [25_000, false, 10_000, 9_999],
    ] as const) {
      const mlflow = fakeMlflow({ points, bulkInterval });
      const adapter = adapterOn(await mlflow.start());
      try {
        const history = await adapter.getMetricHistory('r1', 'loss', signal);
        expect(history.length).toBe(count);
        expect(history[0]).toEqual({
          step: 0,
          value: 1,
          timestamp: 1700000000000,
        });
        expect(history[history.length - 1].step).toBe(lastStep);
        // no page of more than 10,000 points was asked for
        for (const { maxResults } of mlflow.asked) {
          expect(maxResults).toBeGreaterThan(0);
          expect(maxResults).toBeLessThanOrEqual(10_000);
        }
      } finally {
        await mlflow.stop();
      }
    }
  });

  it("finding 6: reading each registered model's versions is limited to 8 at a time", async () => {
    const mlflow = fakeMlflow({ points: 0, bulkInterval: true });
    const adapter = adapterOn(await mlflow.start());
    try {
      const page = await adapter.listRegisteredModels({}, signal);
      expect(page.items.map(m => [m.name, m.versions.length])).toEqual(
        Array.from({ length: 30 }, (_, i) => [`m${i}`, 1]),
      );
      expect(mlflow.maxInFlight()).toBeGreaterThan(1);
      expect(mlflow.maxInFlight()).toBeLessThanOrEqual(8);
    } finally {
      await mlflow.stop();
    }
  });
});
