import { InMemoryModelResolver } from './InMemoryModelResolver';
import { validateTrainJobSpec } from './validateTrainJobSpec';
import { KNOWN_GPU_TYPES } from './gpuTypes';
import {
  catalogResolver,
  errorsOf,
  modelEntity,
  rulesOf,
  validTrainJob,
} from './__testUtils__/builders';

const resolver = catalogResolver;
const validate = (doc: unknown, modelFamilies?: string[]) =>
  validateTrainJobSpec(doc, { resolver, modelFamilies });

/** A valid job with some fields replaced. */
function job(patch: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...validTrainJob(), ...patch };
}

function pretrain(patch: Record<string, unknown> = {}) {
  const { base_model_ref: _, ...rest } = validTrainJob();
  return {
    ...rest,
    job_type: 'PRETRAIN',
    method: 'full',
    dataset_ref: { ...rest.dataset_ref, type: 'pretrain_corpus' },
    ...patch,
  };
}

describe('validateTrainJobSpec', () => {
  it('accepts a valid job and returns the parsed spec', async () => {
    const result = await validate(validTrainJob());
    expect(result).toEqual({ valid: true, spec: validTrainJob(), errors: [] });
  });

  describe('schema', () => {
    it.each([
      [
        'hyperparams.lr',
        { hyperparams: { ...validTrainJob().hyperparams, lr: -1 } },
        'hyperparams.lr must be a positive number, got -1',
      ],
      [
        'hyperparams.lr',
        { hyperparams: { ...validTrainJob().hyperparams, lr: 0 } },
        'hyperparams.lr must be a positive number, got 0',
      ],
      [
        'hyperparams.lr',
        { hyperparams: { ...validTrainJob().hyperparams, lr: Infinity } },
        'hyperparams.lr must be a positive number, got Infinity',
      ],
      [
        'hyperparams.batch_size',
        { hyperparams: { ...validTrainJob().hyperparams, batch_size: 1.5 } },
        'hyperparams.batch_size must be a positive integer, got 1.5',
      ],
      [
        'hyperparams.num_epochs',
        { hyperparams: { ...validTrainJob().hyperparams, num_epochs: 0 } },
        'hyperparams.num_epochs must be a positive integer, got 0',
      ],
      [
        'hyperparams.max_seq_len',
        {
          hyperparams: { ...validTrainJob().hyperparams, max_seq_len: '4096' },
        },
        'hyperparams.max_seq_len must be a positive integer, got "4096"',
      ],
      [
        'hyperparams.precision',
        { hyperparams: { ...validTrainJob().hyperparams, precision: 'fp32' } },
        'hyperparams.precision must be one of fp16, bf16, got "fp32"',
      ],
      [
        'job_type',
        { job_type: 'FINETUNE' },
        'job_type must be one of PRETRAIN, SFT, RAG_TUNING, RLHF, EMBEDDING, got "FINETUNE"',
      ],
      [
        'method',
        { method: 'adapter' },
        'method must be one of full, lora, qlora, got "adapter"',
      ],
      [
        'resources.gpus',
        { resources: { gpus: -1, nodes: 1 } },
        'resources.gpus must be an integer of 0 or more, got -1',
      ],
      [
        'resources.nodes',
        { resources: { gpus: 0, nodes: 0 } },
        'resources.nodes must be an integer of 1 or more, got 0',
      ],
      [
        'output.save_format',
        { output: { artifact_name: 'x', save_format: 'pt' } },
        'output.save_format must be one of hf, safetensors, got "pt"',
      ],
      [
        'use_gpu',
        { use_gpu: 'yes' },
        'use_gpu must be true or false, got "yes"',
      ],
      [
        'kind',
        { kind: 'TrainJob' },
        'kind must be "TrainJobSpec", got "TrainJob"',
      ],
    ])('reports %s', async (path, patch, message) => {
      const result = await validate(job(patch));
      expect(errorsOf(result)).toEqual([{ path, rule: 'schema', message }]);
    });

    it('accepts the lower bounds: gpus 0 without gpu_type, nodes 1, batch_size 1', async () => {
      const result = await validate(
        job({
          resources: { gpus: 0, nodes: 1 },
          hyperparams: {
            ...validTrainJob().hyperparams,
            batch_size: 1,
            num_epochs: 1,
            max_seq_len: 1,
            lr: 1e-12,
          },
        }),
      );
      expect(errorsOf(result)).toEqual([]);
    });

    it('requires gpu_type when gpus is above 0', async () => {
      const result = await validate(job({ resources: { gpus: 1, nodes: 1 } }));
      expect(errorsOf(result)).toEqual([
        expect.objectContaining({ path: 'resources.gpu_type', rule: 'schema' }),
      ]);
    });

    it('rejects an empty gpu_type', async () => {
      const result = await validate(
        job({ resources: { gpus: 1, gpu_type: '', nodes: 1 } }),
      );
      expect(errorsOf(result)).toEqual([
        expect.objectContaining({ path: 'resources.gpu_type', rule: 'schema' }),
      ]);
    });

    it.each([
      [{ cpus: 0.25, memory_gb: 64 }, []],
      [{ cpus: -1 }, ['resources.cpus']],
      [{ memory_gb: 0 }, ['resources.memory_gb']],
    ])('checks resources %j', async (size, paths) => {
      const result = await validate(
        job({
          resources: {
            gpus: 1,
            gpu_type: 'nvidia-l4',
            nodes: 1,
            ...size,
          },
        }),
      );
      expect(errorsOf(result).map(e => e.path)).toEqual(paths);
    });

    it.each([
      [24, []],
      [0, ['max_runtime_hours']],
      [1.5, ['max_runtime_hours']],
    ])('checks max_runtime_hours %j', async (hours, paths) => {
      const result = await validate(job({ max_runtime_hours: hours }));
      expect(errorsOf(result).map(e => e.path)).toEqual(paths);
    });

    it('requires method for job types other than PRETRAIN', async () => {
      const { method: _, ...withoutMethod } = validTrainJob();
      const result = await validate(withoutMethod);
      expect(errorsOf(result)).toEqual([
        {
          path: 'method',
          rule: 'schema',
          message: 'method is required for SFT jobs: one of full, lora, qlora',
        },
      ]);
    });

    it('reports a missing field with its path', async () => {
      const { dataset_ref, ...rest } = validTrainJob();
      const { storage_uri: _, ...partial } = dataset_ref;
      const result = await validate({ ...rest, dataset_ref: partial });
      expect(errorsOf(result)).toEqual([
        {
          path: 'dataset_ref.storage_uri',
          rule: 'schema',
          message:
            'dataset_ref.storage_uri is required: a storage URI, such as s3://bucket/path',
        },
      ]);
    });

    it('reports unknown fields, with a suggestion for a typo', async () => {
      const { hyperparams } = validTrainJob();
      const { precision, ...rest } = hyperparams;
      const result = await validate(
        job({ hyperparams: { ...rest, precison: precision }, extra: 1 }),
      );
      expect(errorsOf(result)).toEqual(
        expect.arrayContaining([
          {
            path: 'hyperparams.precison',
            rule: 'schema',
            message:
              'hyperparams.precison is not a known field; remove it (did you mean precision?)',
          },
          expect.objectContaining({
            path: 'hyperparams.precision',
            rule: 'schema',
          }),
          expect.objectContaining({ path: 'extra', rule: 'schema' }),
        ]),
      );
    });

    it('reports a document that is not a mapping', async () => {
      expect(errorsOf(await validate(['a']))).toEqual([
        {
          path: '',
          rule: 'schema',
          message:
            'the document must be a mapping of TrainJobSpec fields, got a list',
        },
      ]);
    });

    it('still runs the other rules when a field is broken', async () => {
      const result = await validate(
        job({
          model_family: 'gpt',
          hyperparams: {
            ...validTrainJob().hyperparams,
            lr: 'fast',
            max_seq_len: 9000,
          },
          typo: true,
        }),
      );
      expect(rulesOf(result).sort()).toEqual(
        [
          'schema',
          'schema',
          'model_family.not_allowed',
          'model_family.base_model_mismatch',
          'hyperparams.max_seq_len_exceeds_base_model',
        ].sort(),
      );
    });
  });

  describe('model_family.not_allowed', () => {
    it.each([
      'llama',
      'mistral',
      'mixtral',
      'gemma',
      'qwen',
      'phi',
      'falcon',
      'bert',
      'roberta',
    ])('allows %s by default', async family => {
      const result = await validate(pretrain({ model_family: family }));
      expect(rulesOf(result)).toEqual([]);
    });

    it('rejects a family outside the whitelist, and suggests the lower case', async () => {
      const result = await validate(pretrain({ model_family: 'Llama' }));
      expect(errorsOf(result)).toEqual([
        {
          path: 'model_family',
          rule: 'model_family.not_allowed',
          message:
            'model_family "Llama" is not allowed (did you mean llama?); use one of llama, mistral, mixtral, gemma, qwen, phi, falcon, bert, roberta, or add it to llmOps.modelFamilies',
        },
      ]);
    });

    it('uses the configured whitelist', async () => {
      expect(
        rulesOf(await validate(pretrain({ model_family: 'gpt' }), ['gpt'])),
      ).toEqual([]);
      expect(
        rulesOf(await validate(pretrain({ model_family: 'llama' }), ['gpt'])),
      ).toEqual(['model_family.not_allowed']);
    });
  });

  describe('base_model_ref.required', () => {
    it.each(['SFT', 'RAG_TUNING', 'RLHF', 'EMBEDDING'])(
      'is required for %s',
      async jobType => {
        const { base_model_ref: _, ...rest } = validTrainJob();
        const result = await validate({ ...rest, job_type: jobType });
        expect(rulesOf(result)).toContain('base_model_ref.required');
      },
    );

    it('treats null as absent', async () => {
      const result = await validate(job({ base_model_ref: null }));
      expect(rulesOf(result)).toEqual(['base_model_ref.required']);
    });

    it('is satisfied by a base model', async () => {
      expect(rulesOf(await validate(job()))).toEqual([]);
    });

    it('leaves a malformed reference to the schema rule', async () => {
      expect(rulesOf(await validate(job({ base_model_ref: 42 })))).toEqual([
        'schema',
      ]);
    });
  });

  describe('base_model_ref.forbidden', () => {
    it('forbids a base model for PRETRAIN', async () => {
      const result = await validate(
        pretrain({ base_model_ref: 'model:default/llama-3-8b' }),
      );
      expect(errorsOf(result)).toEqual([
        expect.objectContaining({
          path: 'base_model_ref',
          rule: 'base_model_ref.forbidden',
        }),
      ]);
    });

    it('accepts PRETRAIN without a base model, or with null', async () => {
      expect(rulesOf(await validate(pretrain()))).toEqual([]);
      expect(
        rulesOf(await validate(pretrain({ base_model_ref: null }))),
      ).toEqual([]);
    });
  });

  describe('base_model_ref.unresolved', () => {
    it('rejects a reference to no known model', async () => {
      const result = await validate(
        job({ base_model_ref: 'model:default/llama-9' }),
      );
      expect(errorsOf(result)).toEqual([
        {
          path: 'base_model_ref',
          rule: 'base_model_ref.unresolved',
          message:
            'base_model_ref "model:default/llama-9" names no known model; use the reference of a Model in the catalog, such as model:default/llama-3-8b',
        },
      ]);
    });

    it.each([
      'llama-3-8b',
      'model:llama-3-8b',
      'Model:Default/Llama-3-8B',
      'hf://meta-llama/Meta-Llama-3-8B',
    ])('resolves the short and source forms: %s', async ref => {
      expect(rulesOf(await validate(job({ base_model_ref: ref })))).toEqual([]);
    });

    it('rejects a reference to an entity of another kind', async () => {
      const result = await validate(
        job({ base_model_ref: 'component:default/llm-ops-portal' }),
      );
      expect(rulesOf(result)).toEqual(['base_model_ref.unresolved']);
    });
  });

  describe('model_family.base_model_mismatch', () => {
    it('rejects a family that differs from the base model', async () => {
      const result = await validate(job({ model_family: 'mistral' }));
      expect(errorsOf(result)).toEqual([
        {
          path: 'model_family',
          rule: 'model_family.base_model_mismatch',
          message:
            'model_family "mistral" differs from the family of base model model:default/llama-3-8b ("llama"); set model_family to llama or choose a mistral base model',
        },
      ]);
    });

    it('accepts the base model family', async () => {
      expect(rulesOf(await validate(job({ model_family: 'llama' })))).toEqual(
        [],
      );
    });
  });

  describe('dataset_ref.type_mismatch', () => {
    const fits = [
      ['PRETRAIN', 'pretrain_corpus'],
      ['SFT', 'sft_pair'],
      ['RAG_TUNING', 'rag_qa'],
      ['RLHF', 'rlhf_pair'],
      ['EMBEDDING', 'embedding_pair'],
    ] as const;

    it.each(fits)('%s takes %s', async (jobType, type) => {
      const base =
        jobType === 'PRETRAIN' ? pretrain() : job({ job_type: jobType });
      const result = await validate({
        ...base,
        dataset_ref: { ...validTrainJob().dataset_ref, type },
      });
      expect(rulesOf(result)).toEqual([]);
    });

    it.each(fits)('%s rejects the other types', async (jobType, type) => {
      const base =
        jobType === 'PRETRAIN' ? pretrain() : job({ job_type: jobType });
      for (const [, other] of fits.filter(([, t]) => t !== type)) {
        const result = await validate({
          ...base,
          dataset_ref: { ...validTrainJob().dataset_ref, type: other },
        });
        expect(errorsOf(result)).toEqual([
          {
            path: 'dataset_ref.type',
            rule: 'dataset_ref.type_mismatch',
            message: `dataset_ref.type must be ${type} for ${jobType} jobs, got "${other}"; use a dataset of type ${type} or change job_type`,
          },
        ]);
      }
    });

    it('leaves an unknown type to the schema rule', async () => {
      const result = await validate(
        job({ dataset_ref: { ...validTrainJob().dataset_ref, type: 'chat' } }),
      );
      expect(rulesOf(result)).toEqual(['schema']);
    });
  });

  describe('method.not_allowed', () => {
    it('PRETRAIN allows full, and defaults to it', async () => {
      expect(rulesOf(await validate(pretrain({ method: 'full' })))).toEqual([]);
      const { method: _, ...withoutMethod } = pretrain();
      expect(rulesOf(await validate(withoutMethod))).toEqual([]);
    });

    it.each(['lora', 'qlora'])('PRETRAIN rejects %s', async method => {
      const result = await validate(pretrain({ method }));
      expect(errorsOf(result)).toEqual([
        {
          path: 'method',
          rule: 'method.not_allowed',
          message: `method "${method}" is not allowed for PRETRAIN jobs, which allow only full; set method to full or remove it`,
        },
      ]);
    });

    it.each(['full', 'lora', 'qlora'])('SFT allows %s', async method => {
      expect(rulesOf(await validate(job({ method })))).toEqual([]);
    });
  });

  describe('hyperparams.max_seq_len_exceeds_base_model', () => {
    const withSeqLen = (max_seq_len: number) =>
      job({ hyperparams: { ...validTrainJob().hyperparams, max_seq_len } });

    it('allows max_seq_len equal to maxPositionEmbeddings', async () => {
      expect(rulesOf(await validate(withSeqLen(8192)))).toEqual([]);
    });

    it('rejects one above', async () => {
      const result = await validate(withSeqLen(8193));
      expect(errorsOf(result)).toEqual([
        {
          path: 'hyperparams.max_seq_len',
          rule: 'hyperparams.max_seq_len_exceeds_base_model',
          message:
            'hyperparams.max_seq_len 8193 exceeds the maxPositionEmbeddings of base model model:default/llama-3-8b (8192); set it to 8192 or less',
        },
      ]);
    });

    it('uses the referenced model', async () => {
      const small = new InMemoryModelResolver([
        modelEntity('tiny', {
          type: 'base',
          family: 'llama',
          maxPositionEmbeddings: 2048,
        }),
      ]);
      const doc = job({
        base_model_ref: 'tiny',
        hyperparams: { ...validTrainJob().hyperparams, max_seq_len: 2049 },
      });
      const result = await validateTrainJobSpec(doc, { resolver: small });
      expect(rulesOf(result)).toEqual([
        'hyperparams.max_seq_len_exceeds_base_model',
      ]);
    });
  });

  describe('resources.gpu_type_unknown', () => {
    const withType = (gpu_type: string) =>
      job({ resources: { gpus: 1, gpu_type, nodes: 1 } });

    it.each(Object.keys(KNOWN_GPU_TYPES))('accepts %s', async gpuType => {
      expect(errorsOf(await validate(withType(gpuType)))).toEqual([]);
    });

    it.each([
      ['A100-80GB', ' (did you mean nvidia-a100-80gb?)'],
      ['NVIDIA-H100-80GB-HBM3', ' (did you mean nvidia-h100-80gb?)'],
      ['nvidia-L4', ' (did you mean nvidia-l4?)'],
      ['tpu-v5e', ''],
    ])('refuses %s, listing the known types', async (gpuType, suggestion) => {
      expect(errorsOf(await validate(withType(gpuType)))).toEqual([
        {
          path: 'resources.gpu_type',
          rule: 'resources.gpu_type_unknown',
          message: `resources.gpu_type "${gpuType}" is not a known GPU type${suggestion}; use one of nvidia-t4, nvidia-a10g, nvidia-l4, nvidia-l40s, nvidia-a100-40gb, nvidia-a100-80gb, nvidia-h100-80gb, nvidia-h100-nvl, nvidia-h200-141gb, or add it to llmOps.gpuTypes with the nvidia.com/gpu.product values of its nodes`,
        },
      ]);
    });

    it('refuses an unknown type even without GPUs, since it is kept', async () => {
      const result = await validate(
        job({ resources: { gpus: 0, gpu_type: 'A100', nodes: 1 } }),
      );
      expect(rulesOf(result)).toEqual(['resources.gpu_type_unknown']);
    });

    it('accepts the configured types of llmOps.gpuTypes', async () => {
      const result = await validateTrainJobSpec(withType('nvidia-b200'), {
        resolver,
        gpuTypes: { 'nvidia-b200': { products: ['NVIDIA-B200'] } },
      });
      expect(errorsOf(result)).toEqual([]);
    });
  });

  describe('serve_image.override_forbidden', () => {
    it.each([
      ['image', { image: 'x' }],
      ['serve_image', { serve_image: 'x' }],
      ['train_image', { train_image: 'x' }],
      [
        'resources.image',
        { resources: { ...validTrainJob().resources, image: 'x' } },
      ],
    ])('rejects %s', async (path, patch) => {
      const result = await validate(job(patch));
      expect(errorsOf(result)).toEqual([
        {
          path,
          rule: 'serve_image.override_forbidden',
          message: expect.stringContaining(`${path} is not allowed`),
        },
      ]);
    });

    it('does not flag fields that merely contain the word', async () => {
      const result = await validate(job({ imagery: 1 }));
      expect(rulesOf(result)).toEqual(['schema']);
    });
  });
});
