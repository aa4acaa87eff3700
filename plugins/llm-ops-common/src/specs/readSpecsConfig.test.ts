import { DEFAULT_MODEL_FAMILIES } from './constants';
import { readSpecsConfig } from './readSpecsConfig';

describe('readSpecsConfig', () => {
  it('applies the defaults', () => {
    expect(readSpecsConfig()).toEqual({
      modelFamilies: DEFAULT_MODEL_FAMILIES,
      images: {},
      gpuAvailable: true,
      environment: undefined,
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
  ])('names the malformed key of %j', (input, key) => {
    expect(() => readSpecsConfig(input)).toThrow(
      `Invalid configuration at ${key}`,
    );
  });
});
