import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  catalogProcessingExtensionPoint,
  CatalogProcessor,
  EntityProvider,
} from '@backstage/plugin-catalog-node';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BackendFeature } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import llmOpsPlugin from '@llmops/plugin-llm-ops-backend';
import request from 'supertest';
import { catalogModuleLlmOpsEntityModel } from './module';
import type { LlmOpsEntityProvider } from './providers/LlmOpsEntityProvider';

const schedule = { frequency: { minutes: 30 }, timeout: { minutes: 3 } };

async function start(data: object, extraFeatures: BackendFeature[] = []) {
  const processors: CatalogProcessor[] = [];
  const providers: EntityProvider[] = [];
  const extensionPoint = {
    addProcessor: (...p: Array<CatalogProcessor | CatalogProcessor[]>) =>
      processors.push(...p.flat()),
    addEntityProvider: (...p: Array<EntityProvider | EntityProvider[]>) =>
      providers.push(...p.flat()),
    addPlaceholderResolver: () => {},
    setOnProcessingErrorHandler: () => {},
  };
  const scheduler = mockServices.scheduler.mock();
  const backend = await startTestBackend({
    extensionPoints: [[catalogProcessingExtensionPoint, extensionPoint as any]],
    features: [
      catalogModuleLlmOpsEntityModel,
      mockServices.rootConfig.factory({ data }),
      scheduler.factory,
      ...extraFeatures,
    ],
  });
  return { processors, providers, scheduler, server: backend.server };
}

describe('catalogModuleLlmOpsEntityModel', () => {
  let down: http.Server | undefined;
  afterEach(() => down?.close());

  it('adds the processor, and no provider when none is configured', async () => {
    const { processors, providers } = await start({});
    expect(processors.map(p => p.getProcessorName())).toEqual([
      'LlmOpsEntitiesProcessor',
    ]);
    expect(providers).toEqual([]);
  });

  it('adds each configured provider, one per cluster for serving, scheduled from its config', async () => {
    const { providers, scheduler } = await start({
      llmOps: {
        integrations: {
          mlflow: { baseUrl: 'http://mlflow:5000' },
          huggingface: { endpoint: 'http://hf-mirror' },
          dvc: { repos: [{ name: 'datasets', url: '/srv/datasets' }] },
        },
      },
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: [
              {
                name: 'dev-cluster',
                url: 'https://dev:6443',
                authProvider: 'serviceAccount',
              },
              {
                name: 'prod-cluster',
                url: 'https://prod:6443',
                authProvider: 'serviceAccount',
              },
            ],
          },
        ],
      },
      catalog: {
        providers: {
          llmOpsMlflow: { schedule, defaultOwner: 'group:default/ml-platform' },
          llmOpsHuggingFace: {
            schedule,
            defaultOwner: 'group:default/ml-platform',
            repos: [
              'meta-llama/Meta-Llama-3-8B',
              { repo: 'Qwen/Qwen2-7B', name: 'qwen2-7b' },
            ],
          },
          llmOpsDvc: {
            schedule,
            datasets: [{ match: '**', type: 'sft_pair' }],
          },
          llmOpsServing: {
            schedule,
            clusters: [{ name: 'prod-cluster', environment: 'prod' }],
          },
        },
      },
    });
    expect(providers.map(p => p.getProviderName())).toEqual([
      'llm-ops-mlflow-models',
      'llm-ops-huggingface-models',
      'llm-ops-dvc-datasets',
      'llm-ops-serving:dev-cluster',
      'llm-ops-serving:prod-cluster',
    ]);
    expect(scheduler.createScheduledTaskRunner).toHaveBeenCalledTimes(5);
    expect(scheduler.createScheduledTaskRunner).toHaveBeenCalledWith(schedule);
  });

  it('leaves out a provider whose tool is not configured', async () => {
    const { providers } = await start({
      catalog: { providers: { llmOpsMlflow: { schedule } } },
    });
    expect(providers).toEqual([]);
  });

  it('refuses a provider without a schedule', async () => {
    await expect(
      start({
        llmOps: { integrations: { mlflow: { baseUrl: 'http://mlflow:5000' } } },
        catalog: { providers: { llmOpsMlflow: { defaultOwner: 'group:x' } } },
      }),
    ).rejects.toThrow(/catalog\.providers\.llmOpsMlflow\.schedule/);
  });

  it("reports each provider's state to the LLM Ops API's health, in the same backend", async () => {
    // An MLflow that answers 503 to everything: the provider's run fails.
    down = http.createServer((_req, res) =>
      res.writeHead(503).end('maintenance window'),
    );
    await new Promise<void>(resolve => down!.listen(0, '127.0.0.1', resolve));
    const { port } = down.address() as AddressInfo;
    const { providers, server } = await start(
      {
        llmOps: {
          integrations: {
            mlflow: { baseUrl: `http://127.0.0.1:${port}`, retries: 0 },
          },
        },
        catalog: { providers: { llmOpsMlflow: { schedule } } },
      },
      [llmOpsPlugin, catalogServiceMock.factory()],
    );
    const [provider] = providers as LlmOpsEntityProvider[];
    await provider.connect({
      applyMutation: async () => {},
      refresh: async () => {},
    });
    await provider.refresh();

    const integrations = await request(server).get(
      '/api/llm-ops/v1/integrations',
    );
    expect(integrations.body.message).toMatch(
      /0 of 1 catalog providers in sync/,
    );
    expect(integrations.body.data.catalogProviders).toEqual([
      expect.objectContaining({
        provider: 'llm-ops-mlflow-models',
        healthy: false,
        entityCount: 0,
        failures: [{ partition: '*', error: 'mlflow: maintenance window' }],
      }),
    ]);
    const own = await request(server).get('/api/llm-ops/v1/catalog-providers');
    expect(own.body.message).toBe('0 of 1 catalog providers in sync');
    expect(own.body.data.items).toEqual(
      integrations.body.data.catalogProviders,
    );
    // The public health shows the state without the error text.
    const health = await request(server).get('/api/llm-ops/v1/health');
    expect(health.body.data.catalogProviders).toEqual([
      expect.objectContaining({
        provider: 'llm-ops-mlflow-models',
        healthy: false,
        failedParts: 1,
      }),
    ]);
    expect(JSON.stringify(health.body)).not.toMatch(/maintenance window/);
  });

  it("draws the portal's training jobs from the LLM Ops API of the same backend, as the catalog", async () => {
    const { providers, server } = await start(
      {
        app: { baseUrl: 'http://localhost:3000' },
        catalog: { providers: { llmOpsTrainingJobs: { schedule } } },
      },
      [llmOpsPlugin, catalogServiceMock.factory()],
    );
    const [provider] = providers as LlmOpsEntityProvider[];
    expect(provider.getProviderName()).toBe('llm-ops-training-jobs');
    const mutations: unknown[] = [];
    await provider.connect({
      applyMutation: async m => {
        mutations.push(m);
      },
      refresh: async () => {},
    });
    await expect(provider.refresh()).resolves.toMatchObject({ type: 'full' });
    expect(mutations).toEqual([{ type: 'full', entities: [] }]);
    const own = await request(server).get('/api/llm-ops/v1/catalog-providers');
    expect(own.body.data.items).toEqual([
      expect.objectContaining({
        provider: 'llm-ops-training-jobs',
        healthy: true,
        failures: [],
      }),
    ]);
  });
});
