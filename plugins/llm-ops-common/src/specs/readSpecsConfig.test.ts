import { DEFAULT_MODEL_FAMILIES } from './constants';
import { readSpecsConfig } from './readSpecsConfig';
import { settingsForEnvironment } from './platformSettings';
import { DEFAULT_SPEC_LIMITS } from './specLimits';

describe('readSpecsConfig', () => {
  it('applies the defaults', () => {
    expect(readSpecsConfig()).toEqual({
      modelFamilies: DEFAULT_MODEL_FAMILIES,
      images: {},
      gpuAvailable: true,
      environment: undefined,
      gpuTypes: {},
      training: {},
      serving: {},
      environments: {},
      specLimits: DEFAULT_SPEC_LIMITS,
    });
  });

  it('reads a plain object', () => {
    const images = {
      environments: { dev: { train: { SFT: { cpu: 'dev/sft:cpu' } } } },
    };
    expect(
      readSpecsConfig({
        modelFamilies: ['llama'],
        images,
        gpuAvailable: false,
        environment: 'dev',
      }),
    ).toEqual({
      modelFamilies: ['llama'],
      images,
      gpuAvailable: false,
      environment: 'dev',
      gpuTypes: {},
      training: {},
      serving: {},
      environments: {},
      specLimits: DEFAULT_SPEC_LIMITS,
    });
  });

  const platform = {
    gpuTypes: { 'nvidia-b200': { products: ['NVIDIA-B200'] } },
    training: {
      activeDeadlineSeconds: 86400,
      resourcesPerGpu: { cpu: 10, memoryGb: 120 },
      resourcesPerGpuByType: { 'nvidia-l4': { cpu: 3.5, memoryGb: 12 } },
      command: ['llmops-train'],
    },
    serving: {
      deploymentMode: 'RawDeployment',
      resourcesPerGpu: { cpu: 4, memoryGb: 32 },
      resourcesPerGpuByFamily: { bert: { cpu: 1, memoryGb: 4 } },
    },
    environments: {
      prod: {
        // a later issue's keys, which this reader leaves alone
        cluster: 'prod-gpu',
        namespace: 'llm-prod',
        training: { serviceAccountName: 'llmops-training' },
        serving: {
          serviceAccountName: 'llmops-serving',
          deploymentMode: 'Serverless',
          secrets: {
            hfToken: { name: 'hf-token', key: 'HF_TOKEN' },
            storage: { name: 's3-models' },
          },
          rayService: {
            headResources: { cpu: 4, memoryGb: 16 },
            incrementalUpgrade: {
              gatewayClassName: 'istio',
              stepSizePercent: 20,
              intervalSeconds: 60,
              maxSurgePercent: 50,
            },
          },
        },
      },
    },
  };

  it('reads the GPU types, training, serving and per-environment settings', () => {
    const { environments, ...rest } = platform;
    const { cluster: _, namespace: __, ...prod } = environments.prod;
    expect(readSpecsConfig(platform)).toEqual(
      expect.objectContaining({ ...rest, environments: { prod } }),
    );
    const values: Record<string, unknown> = Object.fromEntries(
      Object.entries(platform).map(([k, v]) => [`llmOps.${k}`, v]),
    );
    expect(
      readSpecsConfig({ getOptional: (key: string) => values[key] }),
    ).toEqual(expect.objectContaining({ ...rest, environments: { prod } }));
  });

  it('gives settings that resolve per environment, the environment winning key by key', () => {
    const config = readSpecsConfig({ ...platform, environment: 'prod' });
    expect(settingsForEnvironment(config)).toEqual({
      training: { ...platform.training, serviceAccountName: 'llmops-training' },
      serving: {
        ...platform.serving,
        ...platform.environments.prod.serving,
      },
    });
    expect(settingsForEnvironment({ ...config, environment: 'dev' })).toEqual({
      training: platform.training,
      serving: platform.serving,
    });
    expect(
      settingsForEnvironment({
        serving: { secrets: { storage: { name: 'global' } } },
        environments: {
          dev: { serving: { secrets: { hfToken: { name: 'h', key: 'k' } } } },
        },
        environment: 'dev',
      }).serving.secrets,
    ).toEqual({
      storage: { name: 'global' },
      hfToken: { name: 'h', key: 'k' },
    });
  });

  it('reads keys under llmOps from a config reader', () => {
    const values: Record<string, unknown> = {
      'llmOps.modelFamilies': ['qwen'],
      'llmOps.gpuAvailable': false,
    };
    const config = { getOptional: (key: string) => values[key] };
    expect(readSpecsConfig(config)).toEqual(
      expect.objectContaining({
        modelFamilies: ['qwen'],
        gpuAvailable: false,
        images: {},
      }),
    );
  });

  it.each([
    [{ images: { train: { SFTT: { gpu: 'x' } } } }, 'llmOps.images.train.SFTT'],
    [{ images: { serve: { RAG: { tpu: 'x' } } } }, 'llmOps.images.serve.RAG'],
    [{ images: { environments: { qa: {} } } }, 'llmOps.images.environments.qa'],
    [{ gpuAvailable: 'no' }, 'llmOps.gpuAvailable'],
    [{ modelFamilies: [] }, 'llmOps.modelFamilies'],
    [{ environment: 'test' }, 'llmOps.environment'],
    [
      { gpuTypes: { B200: { products: ['NVIDIA-B200'] } } },
      'llmOps.gpuTypes.B200',
    ],
    [{ gpuTypes: { b200: { products: [] } } }, 'llmOps.gpuTypes.b200.products'],
    [
      { training: { activeDeadlineSeconds: 0 } },
      'llmOps.training.activeDeadlineSeconds',
    ],
    [{ training: { command: 'llmops-train' } }, 'llmOps.training.command'],
    [
      { training: { resourcesPerGpu: { cpu: 1 } } },
      'llmOps.training.resourcesPerGpu.memoryGb',
    ],
    [
      { serving: { deploymentMode: 'Standard' } },
      'llmOps.serving.deploymentMode',
    ],
    [
      {
        environments: {
          prod: { serving: { secrets: { hfToken: { name: 'hf' } } } },
        },
      },
      'llmOps.environments.prod.serving.secrets.hfToken.key',
    ],
    [
      {
        environments: { prod: { serving: { secrets: { hfToken: 'hf_abc' } } } },
      },
      'llmOps.environments.prod.serving.secrets.hfToken',
    ],
    [
      {
        environments: {
          prod: { serving: { serviceAccountName: 'Serving SA' } },
        },
      },
      'llmOps.environments.prod.serving.serviceAccountName',
    ],
    [{ environments: { qa: {} } }, 'llmOps.environments.qa'],
    [{ specLimits: { maxEpochs: 1.5 } }, 'llmOps.specLimits.maxEpochs'],
    [{ specLimits: { maxGpus: 8 } }, 'llmOps.specLimits.maxGpus'],
    [
      { environments: { prod: { training: { serviceAcountName: 'x' } } } },
      'llmOps.environments.prod.training',
    ],
  ])('names the malformed key of %j', (input, key) => {
    expect(() => readSpecsConfig(input)).toThrow(
      `Invalid configuration at ${key}`,
    );
  });
});
