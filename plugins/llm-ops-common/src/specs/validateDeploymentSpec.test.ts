import { InMemoryModelResolver } from './InMemoryModelResolver';
import { validateDeploymentSpec } from './validateDeploymentSpec';
import type { ServingTarget } from './types';
import {
  catalogResolver,
  errorsOf,
  modelEntity,
  rulesOf,
  validDeployment,
} from './__testUtils__/builders';

const validate = (doc: unknown, resolver = catalogResolver) =>
  validateDeploymentSpec(doc, { resolver });

function deployment(
  patch: Record<string, unknown> = {},
): Record<string, unknown> {
  return { ...validDeployment(), ...patch };
}

/** A resolver holding one model with the given spec fields. */
function resolverWith(spec: Record<string, unknown>) {
  return new InMemoryModelResolver([
    modelEntity('m', {
      type: 'fine-tuned',
      family: 'llama',
      maxPositionEmbeddings: 8192,
      baseModel: 'model:default/llama-3-8b',
      ...spec,
    }),
  ]);
}

describe('validateDeploymentSpec', () => {
  it('accepts a valid deployment and returns the parsed spec', async () => {
    expect(await validate(validDeployment())).toEqual({
      valid: true,
      spec: validDeployment(),
      errors: [],
    });
  });

  describe('schema', () => {
    it.each([
      [
        'model_ref',
        { model_ref: '' },
        'model_ref must be a Model reference, such as model:default/llama-3-8b-sft, got ""',
      ],
      [
        'serve_target',
        { serve_target: 'CHAT' },
        'serve_target must be one of GENERATION, RAG, got "CHAT"',
      ],
      [
        'resources.gpus',
        { resources: { gpus: 1.5, gpu_memory_gb: 80 } },
        'resources.gpus must be an integer of 0 or more, got 1.5',
      ],
      [
        'resources.gpu_memory_gb',
        { resources: { gpus: 1, gpu_memory_gb: -8 } },
        'resources.gpu_memory_gb must be an integer of 0 or more, got -8',
      ],
      [
        'runtime.max_output_tokens',
        { runtime: { ...validDeployment().runtime, max_output_tokens: 0 } },
        'runtime.max_output_tokens must be a positive integer, got 0',
      ],
      [
        'rollout.strategy',
        {
          rollout: { strategy: 'shadow', traffic_split: { old: 0, new: 100 } },
        },
        'rollout.strategy must be one of blue-green, canary, rolling, recreate, got "shadow"',
      ],
      [
        'rollout.traffic_split.new',
        {
          rollout: {
            strategy: 'canary',
            traffic_split: { old: 100, new: '0' },
          },
        },
        'rollout.traffic_split.new must be a number, got "0"',
      ],
    ])('reports %s', async (path, patch, message) => {
      expect(errorsOf(await validate(deployment(patch)))).toEqual([
        { path, rule: 'schema', message },
      ]);
    });

    it('reports missing and unknown fields together', async () => {
      const { runtime: _, ...rest } = validDeployment();
      const result = await validate({ ...rest, replicas: 2 });
      expect(errorsOf(result)).toEqual([
        expect.objectContaining({ path: 'runtime', rule: 'schema' }),
        expect.objectContaining({ path: 'replicas', rule: 'schema' }),
      ]);
    });
  });

  it('takes a model_version as a version number or an @alias, and says the rule in words', async () => {
    for (const model_version of ['3', '@champion']) {
      expect((await validate(deployment({ model_version }))).valid).toBe(true);
    }
    const result = await validate(deployment({ model_version: 'latest' }));
    expect(errorsOf(result)).toEqual([
      expect.objectContaining({ path: 'model_version', rule: 'schema' }),
    ]);
    const [error] = errorsOf(result);
    expect(error.message).toContain(
      'a registry version, such as 3, or an alias, such as @champion (an alias starts with a letter',
    );
    expect(error.message).not.toMatch(/\^|\[A-Z/);
  });

  describe('model_family.not_allowed', () => {
    it('rejects a family outside the whitelist', async () => {
      const result = await validateDeploymentSpec(
        deployment({ model_ref: 'm', model_family: 'gpt' }),
        {
          resolver: resolverWith({ family: 'gpt', jobType: 'SFT' }),
          modelFamilies: ['llama'],
        },
      );
      expect(rulesOf(result)).toEqual(['model_family.not_allowed']);
    });

    it('accepts a configured family', async () => {
      const result = await validateDeploymentSpec(
        deployment({ model_ref: 'm', model_family: 'gpt' }),
        {
          resolver: resolverWith({ family: 'gpt', jobType: 'SFT' }),
          modelFamilies: ['gpt'],
        },
      );
      expect(rulesOf(result)).toEqual([]);
    });
  });

  describe('serve_target.incompatible', () => {
    const cases = [
      ['RAG_TUNING', 'RAG', 'GENERATION'],
      ['SFT', 'GENERATION', 'RAG'],
      ['RLHF', 'GENERATION', 'RAG'],
      ['PRETRAIN', 'GENERATION', 'RAG'],
    ] as const;

    it.each(cases)(
      '%s models accept %s and reject %s',
      async (jobType, ok, wrong) => {
        const resolver = resolverWith({ jobType });
        const doc = deployment({ model_ref: 'm', job_type: jobType });
        expect(
          rulesOf(await validate({ ...doc, serve_target: ok }, resolver)),
        ).toEqual([]);
        expect(rulesOf(await validate(doc, resolver))).toEqual([]);
        expect(
          errorsOf(await validate({ ...doc, serve_target: wrong }, resolver)),
        ).toEqual([
          {
            path: 'serve_target',
            rule: 'serve_target.incompatible',
            message: `serve_target ${wrong} is incompatible with ${jobType} models, which need ${ok}; set serve_target to ${ok} or remove it to derive it from job_type`,
          },
        ]);
      },
    );

    it('EMBEDDING models accept both targets', async () => {
      const resolver = resolverWith({ jobType: 'EMBEDDING' });
      const doc = deployment({ model_ref: 'm', job_type: 'EMBEDDING' });
      for (const serve_target of ['GENERATION', 'RAG', undefined]) {
        expect(
          rulesOf(await validate({ ...doc, serve_target }, resolver)),
        ).toEqual([]);
      }
    });
  });

  describe('model_ref.unresolved', () => {
    it('rejects a reference to no known model', async () => {
      const result = await validate(
        deployment({ model_ref: 'model:default/nope' }),
      );
      expect(errorsOf(result)).toEqual([
        expect.objectContaining({
          path: 'model_ref',
          rule: 'model_ref.unresolved',
        }),
      ]);
    });

    it('resolves the short form', async () => {
      expect(
        rulesOf(await validate(deployment({ model_ref: 'llama-3-8b-sft' }))),
      ).toEqual([]);
    });
  });

  describe('model_family.mismatch', () => {
    it("accepts the model's family", async () => {
      const resolver = resolverWith({ family: 'mistral', jobType: 'SFT' });
      const doc = deployment({ model_ref: 'm', model_family: 'mistral' });
      expect(rulesOf(await validate(doc, resolver))).toEqual([]);
    });

    it('rejects a family that differs from the model', async () => {
      const result = await validate(deployment({ model_family: 'mistral' }));
      expect(errorsOf(result)).toEqual([
        {
          path: 'model_family',
          rule: 'model_family.mismatch',
          message:
            'model_family "mistral" differs from the family of model model:default/llama-3-8b-sft ("llama"); set model_family to llama',
        },
      ]);
    });
  });

  describe('job_type.mismatch', () => {
    it("accepts the model's job type", async () => {
      const resolver = resolverWith({ jobType: 'RLHF' });
      const doc = deployment({ model_ref: 'm', job_type: 'RLHF' });
      expect(rulesOf(await validate(doc, resolver))).toEqual([]);
    });

    it('rejects a job type that differs from the model', async () => {
      const result = await validate(deployment({ job_type: 'RLHF' }));
      expect(errorsOf(result)).toEqual([
        {
          path: 'job_type',
          rule: 'job_type.mismatch',
          message:
            'job_type RLHF differs from the jobType of model model:default/llama-3-8b-sft (SFT); set job_type to SFT',
        },
      ]);
    });

    it('accepts any job type for a model without one', async () => {
      const resolver = resolverWith({ type: 'base', baseModel: undefined });
      const result = await validate(
        deployment({ model_ref: 'm', job_type: 'PRETRAIN' }),
        resolver,
      );
      expect(rulesOf(result)).toEqual([]);
    });
  });

  describe('runtime.max_input_tokens_exceeds_model', () => {
    const withInput = (max_input_tokens: number) =>
      deployment({
        runtime: { ...validDeployment().runtime, max_input_tokens },
      });

    it('allows max_input_tokens equal to maxPositionEmbeddings', async () => {
      expect(rulesOf(await validate(withInput(8192)))).toEqual([]);
    });

    it('rejects one above', async () => {
      expect(errorsOf(await validate(withInput(8193)))).toEqual([
        {
          path: 'runtime.max_input_tokens',
          rule: 'runtime.max_input_tokens_exceeds_model',
          message:
            'runtime.max_input_tokens 8193 exceeds the maxPositionEmbeddings of model model:default/llama-3-8b-sft (8192); set it to 8192 or less',
        },
      ]);
    });
  });

  describe('resources.insufficient_gpu', () => {
    const resolver = resolverWith({
      jobType: 'SFT',
      serving: { minGpus: 2, minGpuMemoryGb: 40 },
    });
    const withResources = (gpus: number, gpu_memory_gb: number) =>
      deployment({ model_ref: 'm', resources: { gpus, gpu_memory_gb } });

    it('accepts exactly the minimum', async () => {
      expect(rulesOf(await validate(withResources(2, 40), resolver))).toEqual(
        [],
      );
    });

    it('rejects one GPU too few', async () => {
      expect(errorsOf(await validate(withResources(1, 40), resolver))).toEqual([
        {
          path: 'resources.gpus',
          rule: 'resources.insufficient_gpu',
          message:
            'resources.gpus 1 is below the 2 GPUs that model model:default/m needs to serve (serving.minGpus); request at least 2',
        },
      ]);
    });

    it('rejects too little memory per GPU', async () => {
      expect(errorsOf(await validate(withResources(2, 39), resolver))).toEqual([
        expect.objectContaining({
          path: 'resources.gpu_memory_gb',
          rule: 'resources.insufficient_gpu',
        }),
      ]);
    });

    it('reports both shortfalls', async () => {
      expect(rulesOf(await validate(withResources(0, 0), resolver))).toEqual([
        'resources.insufficient_gpu',
        'resources.insufficient_gpu',
      ]);
    });

    it('has nothing to check without a serving block', async () => {
      const bare = resolverWith({ jobType: 'SFT' });
      expect(rulesOf(await validate(withResources(0, 0), bare))).toEqual([]);
    });
  });

  describe('rollout.traffic_split_invalid', () => {
    const rollout = (strategy: string, old: number, next: number) =>
      deployment({ rollout: { strategy, traffic_split: { old, new: next } } });

    it.each([
      ['canary', 90, 10],
      ['canary', 0, 100],
      ['canary', 100, 0],
      ['canary', 1, 99],
      ['blue-green', 100, 0],
      ['blue-green', 0, 100],
      ['rolling', 0, 100],
      ['recreate', 0, 100],
    ])('accepts %s %d/%d', async (strategy, old, next) => {
      expect(rulesOf(await validate(rollout(strategy, old, next)))).toEqual([]);
    });

    it.each([
      [
        'canary',
        50,
        51,
        'rollout.traffic_split',
        'rollout.traffic_split old and new must add up to 100, got 50 + 51 = 101',
      ],
      [
        'canary',
        50,
        49,
        'rollout.traffic_split',
        'rollout.traffic_split old and new must add up to 100, got 50 + 49 = 99',
      ],
      [
        'canary',
        101,
        -1,
        'rollout.traffic_split.old',
        'rollout.traffic_split.old must be an integer from 0 to 100, got 101',
      ],
      [
        'canary',
        90.5,
        9.5,
        'rollout.traffic_split.old',
        'rollout.traffic_split.old must be an integer from 0 to 100, got 90.5',
      ],
      [
        'blue-green',
        90,
        10,
        'rollout.traffic_split',
        'blue-green rollouts switch traffic as a whole, so rollout.traffic_split must be old 100 / new 0 or old 0 / new 100, got 90/10; use the canary strategy for a partial split',
      ],
      [
        'blue-green',
        99,
        1,
        'rollout.traffic_split',
        expect.stringContaining('got 99/1'),
      ],
      [
        'rolling',
        90,
        10,
        'rollout.traffic_split',
        'rolling rollouts replace the deployment as a whole, so rollout.traffic_split must be old 0 / new 100, got 90/10; use the canary strategy for a partial split',
      ],
      [
        'recreate',
        100,
        0,
        'rollout.traffic_split',
        expect.stringContaining(
          'recreate rollouts replace the deployment as a whole',
        ),
      ],
    ])('rejects %s %d/%d', async (strategy, old, next, path, message) => {
      expect(
        errorsOf(await validate(rollout(strategy, old, next))),
      ).toContainEqual({
        path,
        rule: 'rollout.traffic_split_invalid',
        message,
      });
    });

    it('reports each share that is out of range', async () => {
      expect(
        errorsOf(await validate(rollout('canary', 101, -1))).map(e => e.path),
      ).toEqual(['rollout.traffic_split.old', 'rollout.traffic_split.new']);
    });
  });

  describe('the rollout against its serving target', () => {
    const rollout = (strategy: string, old: number, next: number) =>
      deployment({ rollout: { strategy, traffic_split: { old, new: next } } });
    const against = (doc: unknown, servingTarget: ServingTarget) =>
      validateDeploymentSpec(doc, { resolver: catalogResolver, servingTarget });
    const raw = { tool: 'kserve', deploymentMode: 'RawDeployment' } as const;
    const serverless = {
      tool: 'kserve',
      deploymentMode: 'Serverless',
    } as const;
    const ray = { tool: 'rayserve', incrementalUpgrade: false } as const;
    const rayIncremental = {
      tool: 'rayserve',
      incrementalUpgrade: true,
    } as const;

    it.each([
      ['canary', 90, 10, raw, 'rollout.split_unsupported_in_raw_deployment'],
      ['canary', 0, 100, raw, 'rollout.split_unsupported_in_raw_deployment'],
      [
        'blue-green',
        100,
        0,
        raw,
        'rollout.split_unsupported_in_raw_deployment',
      ],
      ['recreate', 0, 100, serverless, 'rollout.recreate_unsupported'],
      ['canary', 90, 10, ray, 'rollout.split_unsupported_by_rayservice'],
      ['blue-green', 0, 100, ray, 'rollout.split_unsupported_by_rayservice'],
      [
        'canary',
        90,
        10,
        rayIncremental,
        'rollout.split_unsupported_by_rayservice',
      ],
      ['recreate', 0, 100, ray, 'rollout.recreate_unsupported'],
    ])('refuses %s %d/%d on %j', async (strategy, old, next, target, rule) => {
      expect(
        errorsOf(await against(rollout(strategy, old, next), target)),
      ).toEqual([expect.objectContaining({ path: 'rollout.strategy', rule })]);
    });

    it.each([
      ['canary', 90, 10, serverless],
      ['blue-green', 100, 0, serverless],
      ['rolling', 0, 100, serverless],
      ['rolling', 0, 100, raw],
      ['recreate', 0, 100, raw],
      ['rolling', 0, 100, ray],
      ['rolling', 0, 100, rayIncremental],
    ])('accepts %s %d/%d on %j', async (strategy, old, next, target) => {
      expect(
        errorsOf(await against(rollout(strategy, old, next), target)),
      ).toEqual([]);
    });

    it('says what RawDeployment does with a split, and how to deploy there', async () => {
      const [error] = errorsOf(await against(rollout('canary', 90, 10), raw));
      expect(error.message).toBe(
        'rollout.strategy canary splits traffic between two revisions, which KServe enforces only in Serverless (Knative) mode; this environment deploys in RawDeployment mode, where KServe ignores canaryTrafficPercent and tag routing and would send all traffic to the new model (kserve/kserve#5335). Use rollout.strategy rolling (a zero-downtime replacement) with traffic_split old 0 / new 100, or recreate; or deploy where llmOps.environments.<env>.serving.deploymentMode is Serverless',
      );
    });

    it('says what a RayService upgrade does instead of a split', async () => {
      const [plain] = errorsOf(await against(rollout('canary', 90, 10), ray));
      expect(plain.message).toContain(
        'an upgrade creates a new RayCluster and moves all traffic to it once it is ready (NewCluster)',
      );
      const [stepped] = errorsOf(
        await against(rollout('canary', 90, 10), rayIncremental),
      );
      expect(stepped.message).toContain(
        'moves traffic to the new cluster in steps until it has all of it, and holds no split',
      );
    });

    it('checks nothing against a backend without servingTarget', async () => {
      expect(errorsOf(await validate(rollout('canary', 90, 10)))).toEqual([]);
    });
  });

  describe('resources.cpus and memory_gb', () => {
    const withSize = (size: Record<string, unknown>) =>
      deployment({ resources: { gpus: 1, gpu_memory_gb: 80, ...size } });

    it('accepts millicores and whole GiB', async () => {
      expect(
        errorsOf(await validate(withSize({ cpus: 0.5, memory_gb: 16 }))),
      ).toEqual([]);
    });

    it.each([
      [{ cpus: 0 }, 'resources.cpus'],
      [{ cpus: 0.0005 }, 'resources.cpus'],
      [{ memory_gb: 1.5 }, 'resources.memory_gb'],
    ])('rejects %j', async (size, path) => {
      expect(errorsOf(await validate(withSize(size)))).toEqual([
        expect.objectContaining({ path, rule: 'schema' }),
      ]);
    });
  });

  describe('serve_image.override_forbidden', () => {
    it.each([
      ['serve_image', { serve_image: 'registry/custom:1' }],
      ['image', { image: 'registry/custom:1' }],
      [
        'runtime.container_image',
        { runtime: { ...validDeployment().runtime, container_image: 'x' } },
      ],
    ])(
      'rejects %s, and reports it under this rule only',
      async (path, patch) => {
        expect(errorsOf(await validate(deployment(patch)))).toEqual([
          expect.objectContaining({
            path,
            rule: 'serve_image.override_forbidden',
          }),
        ]);
      },
    );
  });
});
