import { JOB_TYPES, SERVE_TARGETS } from './constants';
import { deriveServeTarget } from './deriveServeTarget';
import {
  DEFAULT_IMAGES,
  selectServeImage,
  selectTrainImage,
} from './selectImage';

describe('selectTrainImage', () => {
  it.each(JOB_TYPES)(
    'selects the default gpu and cpu images of %s',
    jobType => {
      expect(selectTrainImage(jobType)).toEqual({
        image: DEFAULT_IMAGES.train[jobType].gpu,
        variant: 'gpu',
      });
      expect(selectTrainImage(jobType, { useGpu: false })).toEqual({
        image: DEFAULT_IMAGES.train[jobType].cpu,
        variant: 'cpu',
      });
    },
  );

  it('uses the plan table', () => {
    expect(selectTrainImage('SFT').image).toBe(
      'registry/llm-train-sft:pytorch2.1-cuda12.1-v1',
    );
    expect(selectTrainImage('RAG_TUNING', { useGpu: false }).image).toBe(
      'registry/llm-train-rag:pytorch2.1-cpu-v1',
    );
  });

  it('chooses cpu when the platform has no GPUs, even if the document asks for one', () => {
    expect(
      selectTrainImage('SFT', { useGpu: true, gpuAvailable: false }).variant,
    ).toBe('cpu');
    expect(selectTrainImage('SFT', { gpuAvailable: true }).variant).toBe('gpu');
  });

  it('lets an environment override win over the global override, per key', () => {
    const images = {
      train: {
        SFT: { gpu: 'global/sft:gpu', cpu: 'global/sft:cpu' },
        RLHF: { gpu: 'global/rlhf:gpu' },
      },
      environments: { dev: { train: { SFT: { cpu: 'dev/sft:cpu' } } } },
    };
    expect(
      selectTrainImage('SFT', { images, environment: 'dev', useGpu: false })
        .image,
    ).toBe('dev/sft:cpu');
    expect(selectTrainImage('SFT', { images, environment: 'dev' }).image).toBe(
      'global/sft:gpu',
    );
    expect(
      selectTrainImage('SFT', { images, environment: 'prod', useGpu: false })
        .image,
    ).toBe('global/sft:cpu');
    expect(selectTrainImage('RLHF', { images, useGpu: false }).image).toBe(
      DEFAULT_IMAGES.train.RLHF.cpu,
    );
    expect(
      selectTrainImage('PRETRAIN', { images, environment: 'dev' }).image,
    ).toBe(DEFAULT_IMAGES.train.PRETRAIN.gpu);
  });
});

describe('selectServeImage', () => {
  it.each(SERVE_TARGETS)('selects the default images of %s', target => {
    expect(selectServeImage(target).image).toBe(
      DEFAULT_IMAGES.serve[target].gpu,
    );
    expect(selectServeImage(target, { gpuAvailable: false }).image).toBe(
      DEFAULT_IMAGES.serve[target].cpu,
    );
  });

  it('uses the plan table', () => {
    expect(selectServeImage('GENERATION').image).toBe(
      'registry/llm-serve:vllm-0.5.0-cuda12.1',
    );
    expect(selectServeImage('RAG', { useGpu: false }).image).toBe(
      'registry/llm-serve-rag:cpu-v0.5.0',
    );
  });

  it('applies serve overrides', () => {
    const images = {
      serve: { RAG: { gpu: 'global/rag:gpu' } },
      environments: { stg: { serve: { RAG: { gpu: 'stg/rag:gpu' } } } },
    };
    expect(selectServeImage('RAG', { images }).image).toBe('global/rag:gpu');
    expect(selectServeImage('RAG', { images, environment: 'stg' }).image).toBe(
      'stg/rag:gpu',
    );
    expect(
      selectServeImage('GENERATION', { images, environment: 'stg' }).image,
    ).toBe(DEFAULT_IMAGES.serve.GENERATION.gpu);
  });
});

describe('deriveServeTarget', () => {
  it.each([
    ['RAG_TUNING', 'RAG'],
    ['SFT', 'GENERATION'],
    ['RLHF', 'GENERATION'],
    ['PRETRAIN', 'GENERATION'],
    ['EMBEDDING', 'GENERATION'],
  ] as const)('derives %s -> %s', (jobType, target) => {
    expect(deriveServeTarget(jobType)).toBe(target);
  });
});
