import fc from 'fast-check';
import { parse } from 'yaml';
import {
  conversionOptions,
  deploymentCase,
  trainJobCase,
} from '../specs/__testUtils__/arbitraries';
import { catalogResolver, readFixture } from '../specs/__testUtils__/builders';
import type { DeploymentSpec, TrainJobSpec } from '../specs';
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
    deploymentToInferenceService,
    inferenceServiceToDeployment,
  ],
  ['RayService', deploymentToRayService, rayServiceToDeployment],
] as const;

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

  describe.each(deploymentPairs)('DeploymentSpec via %s', (_, to, from) => {
    it('gives back every generated spec, under any platform settings', () => {
      fc.assert(
        fc.property(
          deploymentCase,
          conversionOptions,
          ({ spec, models }, options) => {
            const source = String((models[0].spec ?? {}).source);
            expect(
              from(viaYaml(to(spec, { ...options, model: { source } }))),
            ).toStrictEqual(spec);
          },
        ),
        { numRuns: 200 },
      );
    });

    it.each([
      'deployment-canary.valid.yaml',
      'deployment-bluegreen.valid.yaml',
    ])('gives back %s', name => {
      const spec = readFixture(name)[0] as DeploymentSpec;
      const model = catalogResolver.get(spec.model_ref)!;
      expect(from(viaYaml(to(spec, { model })))).toStrictEqual(spec);
    });

    it('keeps a derived serve_target absent, and an explicit one present', () => {
      const spec = readFixture(
        'deployment-canary.valid.yaml',
      )[0] as DeploymentSpec;
      const model = { source: 's3://m' };
      expect(spec.serve_target).toBeUndefined();
      expect(from(to(spec, { model }))).toStrictEqual(spec);
      const explicit = { ...spec, serve_target: 'GENERATION' as const };
      expect(from(to(explicit, { model }))).toStrictEqual(explicit);
    });
  });
});
