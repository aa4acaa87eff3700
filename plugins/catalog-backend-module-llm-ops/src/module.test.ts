import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  catalogProcessingExtensionPoint,
  CatalogProcessor,
  EntityProvider,
} from '@backstage/plugin-catalog-node';
import { catalogModuleLlmOpsEntityModel } from './module';

const schedule = { frequency: { minutes: 30 }, timeout: { minutes: 3 } };

async function start(data: object) {
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
  await startTestBackend({
    extensionPoints: [[catalogProcessingExtensionPoint, extensionPoint as any]],
    features: [
      catalogModuleLlmOpsEntityModel,
      mockServices.rootConfig.factory({ data }),
      scheduler.factory,
    ],
  });
  return { processors, providers, scheduler };
}

describe('catalogModuleLlmOpsEntityModel', () => {
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
});
