import fc from 'fast-check';
import { parse } from 'yaml';
import {
  conversionOptions,
  deploymentCase,
  trainJobCase,
} from '../specs/__testUtils__/arbitraries';
import { catalogResolver, readFixture } from '../specs/__testUtils__/builders';
import {
  checkServingTarget,
  servingTargetOf,
} from '../specs/checkServingTarget';
import type { DeploymentSpec, TrainJobSpec } from '../specs';
import { ConversionError } from './ConversionError';
import {
  deploymentToInferenceService,
  inferenceServiceToDeployment,
} from './deploymentToInferenceService';
import {
  deploymentToRayService,
  rayServiceToDeployment,
} from './deploymentToRayService';
import {
  argoWorkflowToTrainJob,
  trainJobToArgoWorkflow,
} from './trainJobToArgoWorkflow';
import { manifestToYaml } from './manifestToYaml';
import { mlflowToTrainJob, trainJobToMlflow } from './trainJobToMlflow';

/** Through YAML and back, as `llmops convert --to` then `--from` do. */
const viaYaml = (manifest: unknown): unknown => parse(manifestToYaml(manifest));

const trainPairs = [
  ['MLflow', trainJobToMlflow, mlflowToTrainJob],
  ['Argo Workflow', trainJobToArgoWorkflow, argoWorkflowToTrainJob],
] as const;

const deploymentPairs = [
  [
    'InferenceService',
    'kserve',
    deploymentToInferenceService,
    inferenceServiceToDeployment,
  ],
  ['RayService', 'rayserve', deploymentToRayService, rayServiceToDeployment],
] as const;

/** What the backend passes for an mlflow:// source: the version's artifacts. */
const storageUriOf = (source: string) =>
  source.startsWith('mlflow://')
    ? `s3://mlflow/artifacts/${source.slice('mlflow://'.length)}`
    : undefined;

/** What a call returns, or the path and rule of the ConversionError it throws. */
function outcome<T>(
  fn: () => T,
): { value: T } | { refused: { path: string; rule?: string } } {
  try {
    return { value: fn() };
  } catch (error) {
    if (error instanceof ConversionError) {
      return { refused: { path: error.path, rule: error.rule } };
    }
    throw error;
  }
}

/** Options under which each backend enforces the rollout of the fixtures. */
const serverless = { serving: { deploymentMode: 'Serverless' as const } };

describe('round trips', () => {
  describe.each(trainPairs)('TrainJobSpec via %s', (_, to, from) => {
    it('gives back every generated spec, under any platform settings', () => {
      fc.assert(
        fc.property(trainJobCase, conversionOptions, ({ spec }, options) => {
          expect(from(viaYaml(to(spec, options)))).toStrictEqual(spec);
        }),
        { numRuns: 200 },
      );
    });

    it.each(['train-sft.valid.yaml', 'train-pretrain.valid.yaml'])(
      'gives back %s',
      name => {
        const spec = readFixture(name)[0] as TrainJobSpec;
        expect(from(viaYaml(to(spec)))).toStrictEqual(spec);
      },
    );

    it('keeps a defaulted method absent, and null base_model_ref reads back absent', () => {
      const spec = readFixture('train-pretrain.valid.yaml')[0] as TrainJobSpec;
      expect(spec.method).toBeUndefined();
      expect(from(to({ ...spec, base_model_ref: null }))).toStrictEqual(spec);
      expect(from(to({ ...spec, method: 'full' }))).toStrictEqual({
        ...spec,
        method: 'full',
      });
    });
  });

  describe.each(deploymentPairs)(
    'DeploymentSpec via %s',
    (_, tool, to, from) => {
      it('gives back every generated spec, or refuses it by the rule of its rollout, under any platform settings', () => {
        fc.assert(
          fc.property(
            deploymentCase,
            conversionOptions,
            ({ spec, models }, platform) => {
              const source = String((models[0].spec ?? {}).source);
              const options = {
                ...platform,
                model: { source },
                storageUri: storageUriOf(source),
              };
              const refused = checkServingTarget(
                spec.rollout.strategy,
                servingTargetOf(tool, platform),
              );
              expect(
                outcome(() => from(viaYaml(to(spec, options)))),
              ).toStrictEqual(
                refused.length
                  ? {
                      refused: {
                        path: 'rollout.strategy',
                        rule: refused[0].rule,
                      },
                    }
                  : { value: spec },
              );
            },
          ),
          { numRuns: 300 },
        );
      });

      it.each([
        'deployment-canary.valid.yaml',
        'deployment-bluegreen.valid.yaml',
        'deployment-rolling.valid.yaml',
      ])('gives back %s where its rollout is enforced', name => {
        const spec = readFixture(name)[0] as DeploymentSpec;
        const model = catalogResolver.get(spec.model_ref)!;
        const options = {
          model,
          storageUri: storageUriOf(model.source),
          ...(spec.rollout.strategy === 'rolling' ? {} : serverless),
        };
        expect(outcome(() => from(viaYaml(to(spec, options))))).toStrictEqual(
          tool === 'rayserve' && spec.rollout.strategy !== 'rolling'
            ? {
                refused: {
                  path: 'rollout.strategy',
                  rule: 'rollout.split_unsupported_by_rayservice',
                },
              }
            : { value: spec },
        );
      });

      it('keeps a derived serve_target absent, and an explicit one present', () => {
        const spec = readFixture(
          'deployment-rolling.valid.yaml',
        )[0] as DeploymentSpec;
        const model = { source: 's3://m' };
        expect(spec.serve_target).toBeUndefined();
        expect(from(to(spec, { model }))).toStrictEqual(spec);
        const explicit = { ...spec, serve_target: 'GENERATION' as const };
        expect(from(to(explicit, { model }))).toStrictEqual(explicit);
      });

      it('keeps resources.cpus and memory_gb absent when defaulted, and present when given', () => {
        const spec = readFixture(
          'deployment-rolling.valid.yaml',
        )[0] as DeploymentSpec;
        const model = { source: 's3://m' };
        const sized = {
          ...spec,
          resources: { ...spec.resources, cpus: 6.5, memory_gb: 40 },
        };
        expect(from(viaYaml(to(sized, { model })))).toStrictEqual(sized);
        expect(from(viaYaml(to(spec, { model })))).toStrictEqual(spec);
      });
    },
  );
});
