import fc from 'fast-check';
import { InMemoryModelResolver } from './InMemoryModelResolver';
import { REGISTRY_RULES, SPEC_RULES } from './specRules';
import { validateSpec } from './validateSpec';
import {
  catalogResolver,
  readFixture,
  rulesOf,
} from './__testUtils__/builders';
import { deploymentCase, trainJobCase } from './__testUtils__/arbitraries';

const options = { resolver: catalogResolver };

describe('validateSpec', () => {
  it.each([
    'train-sft.valid.yaml',
    'train-pretrain.valid.yaml',
    'deployment-canary.valid.yaml',
    'deployment-bluegreen.valid.yaml',
    'deployment-rolling.valid.yaml',
  ])('accepts %s', async name => {
    const [doc] = readFixture(name);
    expect(await validateSpec(doc, options)).toEqual(
      expect.objectContaining({ valid: true, errors: [] }),
    );
  });

  it('returns every error of train.invalid.yaml', async () => {
    const [doc] = readFixture('train.invalid.yaml');
    const result = await validateSpec(doc, options);
    expect(result.valid).toBe(false);
    expect(rulesOf(result).sort()).toEqual(
      [
        'serve_image.override_forbidden',
        'schema',
        'schema',
        'schema',
        'schema',
        'model_family.not_allowed',
        'dataset_ref.type_mismatch',
        'model_family.base_model_mismatch',
        'hyperparams.max_seq_len_exceeds_base_model',
      ].sort(),
    );
  });

  it('returns every error of deployment.invalid.yaml', async () => {
    const [doc] = readFixture('deployment.invalid.yaml');
    const result = await validateSpec(doc, options);
    expect(rulesOf(result).sort()).toEqual(
      [
        'serve_image.override_forbidden',
        'serve_target.incompatible',
        'rollout.traffic_split_invalid',
        'model_family.mismatch',
        'job_type.mismatch',
        'runtime.max_input_tokens_exceeds_model',
        'resources.insufficient_gpu',
        'resources.insufficient_gpu',
      ].sort(),
    );
  });

  it('rejects an unknown or missing kind', async () => {
    expect(await validateSpec({ kind: 'Job' }, options)).toEqual({
      valid: false,
      errors: [
        {
          path: 'kind',
          rule: 'schema',
          message: 'kind must be TrainJobSpec or DeploymentSpec, got "Job"',
        },
      ],
    });
    expect(rulesOf(await validateSpec({}, options))).toEqual(['schema']);
    expect(rulesOf(await validateSpec(null, options))).toEqual(['schema']);
  });

  it('has tests that produce every rule code', async () => {
    const produced = new Set<string>();
    for (const name of ['train.invalid.yaml', 'deployment.invalid.yaml']) {
      const [doc] = readFixture(name);
      rulesOf(await validateSpec(doc, options)).forEach(r => produced.add(r));
    }
    const pretrain = readFixture('train-pretrain.valid.yaml')[0] as object;
    for (const patch of [
      { base_model_ref: 'llama-3-8b', method: 'lora' },
      {
        job_type: 'SFT',
        method: 'full',
        dataset_ref: {
          name: 'd',
          version: '1',
          type: 'sft_pair',
          storage_uri: 's3://d',
        },
      },
    ]) {
      rulesOf(await validateSpec({ ...pretrain, ...patch }, options)).forEach(
        r => produced.add(r),
      );
    }
    rulesOf(
      await validateSpec(
        {
          ...pretrain,
          job_type: 'SFT',
          method: 'full',
          base_model_ref: 'nope',
        },
        options,
      ),
    ).forEach(r => produced.add(r));
    rulesOf(
      await validateSpec(
        {
          ...pretrain,
          resources: { gpus: 8, gpu_type: 'H100', nodes: 4 },
        },
        options,
      ),
    ).forEach(r => produced.add(r));
    const { hyperparams } = pretrain as { hyperparams: object };
    rulesOf(
      await validateSpec(
        {
          ...pretrain,
          model_family: 'l'.repeat(300),
          hyperparams: { ...hyperparams, num_epochs: 20000 },
          resources: { gpus: 32, gpu_type: 'nvidia-h100-80gb', nodes: 1024 },
          output: { artifact_name: 'модель', save_format: 'hf' },
        },
        options,
      ),
    ).forEach(r => produced.add(r));
    const deployment = readFixture('deployment-canary.valid.yaml')[0] as {
      rollout: object;
    };
    rulesOf(
      await validateSpec({ ...deployment, model_ref: 'nope' }, options),
    ).forEach(r => produced.add(r));
    const recreate = {
      ...deployment,
      rollout: { strategy: 'recreate', traffic_split: { old: 0, new: 100 } },
    };
    for (const [doc, servingTarget] of [
      [deployment, { tool: 'kserve', deploymentMode: 'RawDeployment' }],
      [deployment, { tool: 'rayserve', incrementalUpgrade: false }],
      [recreate, { tool: 'kserve', deploymentMode: 'Serverless' }],
      [
        deployment,
        {
          tool: 'kserve',
          deploymentMode: 'RawDeployment',
          notConfigured: 'no KServe is configured',
        },
      ],
    ] as const) {
      rulesOf(await validateSpec(doc, { ...options, servingTarget })).forEach(
        r => produced.add(r),
      );
    }
    // the registry rules are the API's (llm-ops-backend's api.test.ts)
    const validatorRules = SPEC_RULES.filter(
      r => !(REGISTRY_RULES as readonly string[]).includes(r),
    );
    expect([...produced].sort()).toEqual([...validatorRules].sort());
  });

  it('accepts every generated valid TrainJobSpec', async () => {
    await fc.assert(
      fc.asyncProperty(trainJobCase, async ({ spec, models }) => {
        const result = await validateSpec(spec, {
          resolver: new InMemoryModelResolver(models),
        });
        expect(result).toEqual({ valid: true, spec, errors: [] });
      }),
      { numRuns: 200 },
    );
  });

  it('accepts every generated valid DeploymentSpec', async () => {
    await fc.assert(
      fc.asyncProperty(deploymentCase, async ({ spec, models }) => {
        const result = await validateSpec(spec, {
          resolver: new InMemoryModelResolver(models),
        });
        expect(result).toEqual({ valid: true, spec, errors: [] });
      }),
      { numRuns: 200 },
    );
  });
});
