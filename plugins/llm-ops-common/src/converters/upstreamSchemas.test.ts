import fc from 'fast-check';
import { isRecord } from '../specs/checkStructure';
import { catalogResolver, readFixture } from '../specs/__testUtils__/builders';
import {
  conversionOptions,
  deploymentCase,
  trainJobCase,
} from '../specs/__testUtils__/arbitraries';
import {
  checkServingTarget,
  servingTargetOf,
} from '../specs/checkServingTarget';
import type { DeploymentSpec, TrainJobSpec } from '../specs';
import type { DeploymentConversionOptions } from './types';
import { deploymentToInferenceService } from './deploymentToInferenceService';
import { deploymentToRayService } from './deploymentToRayService';
import { trainJobToArgoWorkflow } from './trainJobToArgoWorkflow';
import {
  argoJsonSchemaValidator,
  crdValidator,
  readFixtureDocuments,
  schemaErrors,
} from './__testUtils__/upstreamSchemas';

const kserve = crdValidator('kserve/serving.kserve.io_inferenceservices.yaml');
const rayService = crdValidator('kuberay/ray.io_rayservices.yaml', 'v1');
const argoCrd = crdValidator('argo/argoproj.io_workflows.yaml');
const argoJson = argoJsonSchemaValidator();

/** A copy with the value at `path` replaced, or removed when undefined. */
function withValue(
  value: unknown,
  path: Array<string | number>,
  replacement: unknown,
): unknown {
  const [key, ...rest] = path;
  if (Array.isArray(value) && typeof key === 'number') {
    const copy = [...value];
    copy[key] = withValue(value[key], rest, replacement);
    return copy;
  }
  if (isRecord(value) && typeof key === 'string') {
    const { [key]: child, ...others } = value;
    const next = rest.length
      ? withValue(child, rest, replacement)
      : replacement;
    return next === undefined ? others : { ...others, [key]: next };
  }
  throw new Error(`nothing at ${key}`);
}

const trainSpecs = ['train-sft.valid.yaml', 'train-pretrain.valid.yaml'].map(
  name => readFixture(name)[0] as TrainJobSpec,
);
const deploymentSpecs = [
  'deployment-canary.valid.yaml',
  'deployment-bluegreen.valid.yaml',
  'deployment-rolling.valid.yaml',
].map(name => readFixture(name)[0] as DeploymentSpec);
/** Every platform setting the converters read, set. */
const fullPlatform = {
  environment: 'prod' as const,
  training: { activeDeadlineSeconds: 3600 },
  serving: { resourcesPerGpu: { cpu: 4.5, memoryGb: 30 } },
  environments: {
    prod: {
      training: { serviceAccountName: 'llmops-training' },
      serving: {
        serviceAccountName: 'llmops-serving',
        secrets: {
          hfToken: { name: 'hf-token', key: 'HF_TOKEN' },
          storage: { name: 'model-store' },
        },
      },
    },
  },
};
const storageUriOf = (source: string) =>
  source.startsWith('mlflow://')
    ? 's3://mlflow/1/run/artifacts/model'
    : undefined;
const modelOf = (spec: DeploymentSpec) => {
  const model = catalogResolver.get(spec.model_ref);
  if (!model) {
    throw new Error(`no model ${spec.model_ref}`);
  }
  return model;
};

describe('the upstream schema loader', () => {
  it.each([
    'kserve/samples/hf_isvc.yaml',
    'kserve/samples/sklearn-storage-uri.yaml',
  ])('accepts the KServe sample %s', sample => {
    for (const doc of readFixtureDocuments(sample)) {
      expect(schemaErrors(kserve, doc)).toBe('');
    }
  });

  it.each([
    'kuberay/samples/ray-service.sample.yaml',
    'kuberay/samples/ray-service.llm-serve.yaml',
  ])('accepts the RayService sample %s', sample => {
    const docs = readFixtureDocuments(sample).filter(
      doc => (doc as { kind?: string }).kind === 'RayService',
    );
    expect(docs.length).toBeGreaterThan(0);
    for (const doc of docs) {
      expect(schemaErrors(rayService, doc)).toBe('');
    }
  });

  it.each([
    'argo/examples/hello-world.yaml',
    'argo/examples/dag-diamond.yaml',
    'argo/examples/arguments-parameters.yaml',
  ])(
    'accepts the Argo example %s against the CRD and the JSON schema',
    example => {
      const [doc] = readFixtureDocuments(example);
      expect(schemaErrors(argoCrd, doc)).toBe('');
      expect(schemaErrors(argoJson, doc)).toBe('');
    },
  );

  it('rejects an InferenceService with a wrong type or an unknown field', () => {
    const [sample] = readFixtureDocuments('kserve/samples/hf_isvc.yaml');
    expect(
      schemaErrors(
        kserve,
        withValue(
          sample,
          ['spec', 'predictor', 'containerConcurrency'],
          'many',
        ),
      ),
    ).toMatch(/containerConcurrency must be integer/);
    expect(
      schemaErrors(
        kserve,
        withValue(sample, ['spec', 'predictor', 'model', 'replicas'], 2),
      ),
    ).toMatch(/must NOT have additional properties/);
    expect(
      schemaErrors(
        kserve,
        withValue(
          sample,
          [
            'spec',
            'predictor',
            'model',
            'resources',
            'limits',
            'nvidia.com/gpu',
          ],
          'lots',
        ),
      ),
    ).toMatch(/must match pattern/);
  });

  it('rejects a RayService with a wrong type or a missing field', () => {
    const [sample] = readFixtureDocuments(
      'kuberay/samples/ray-service.sample.yaml',
    );
    expect(
      schemaErrors(
        rayService,
        withValue(sample, ['spec', 'serveConfigV2'], { applications: [] }),
      ),
    ).toMatch(/serveConfigV2 must be string/);
    const path = [
      'spec',
      'rayClusterConfig',
      'workerGroupSpecs',
      0,
      'groupName',
    ];
    expect(
      schemaErrors(rayService, withValue(sample, path, undefined)),
    ).toMatch(/must have required property 'groupName'/);
  });

  it('rejects a Workflow with a wrong type, against the CRD and the JSON schema', () => {
    const [example] = readFixtureDocuments('argo/examples/dag-diamond.yaml');
    const broken = withValue(
      example,
      ['spec', 'templates', 0, 'dag', 'tasks'],
      'A',
    );
    expect(schemaErrors(argoCrd, broken)).toMatch(/tasks must be array/);
    expect(schemaErrors(argoJson, broken)).toMatch(/tasks must be array/);
    const unknown = withValue(
      example,
      ['spec', 'templates', 1, 'container', 'gpus'],
      1,
    );
    expect(schemaErrors(argoCrd, unknown)).toMatch(
      /must NOT have additional properties/,
    );
    expect(schemaErrors(argoJson, unknown)).toMatch(
      /must NOT have additional properties/,
    );
  });
});

describe('generated manifests pass the upstream schemas', () => {
  it.each(trainSpecs.map(s => [s.output.artifact_name, s] as const))(
    'Workflow of %s',
    (_, spec) => {
      for (const gpuAvailable of [true, false]) {
        for (const options of [{}, { ...fullPlatform, jobId: 'job-1' }]) {
          const workflow = trainJobToArgoWorkflow(spec, {
            ...options,
            gpuAvailable,
          });
          expect(schemaErrors(argoCrd, workflow)).toBe('');
          expect(schemaErrors(argoJson, workflow)).toBe('');
        }
      }
    },
  );

  it.each(
    deploymentSpecs.map(s => [s.model_ref, s.rollout.strategy, s] as const),
  )('InferenceService and RayService of %s (%s)', (_, strategy, spec) => {
    for (const gpuAvailable of [true, false]) {
      for (const platform of [{}, fullPlatform]) {
        const model = modelOf(spec);
        const options: DeploymentConversionOptions = {
          ...platform,
          gpuAvailable,
          model,
          storageUri: storageUriOf(model.source),
          namespace: 'serving',
        };
        const mode =
          strategy === 'rolling' ? 'RawDeployment' : ('Serverless' as const);
        expect(
          schemaErrors(
            kserve,
            deploymentToInferenceService(spec, {
              ...options,
              serving: { ...options.serving, deploymentMode: mode },
            }),
          ),
        ).toBe('');
        // a RayService takes only rolling deployments
        const rayServices =
          strategy === 'rolling'
            ? [
                deploymentToRayService(spec, options),
                deploymentToRayService(spec, {
                  ...options,
                  serving: {
                    rayService: {
                      incrementalUpgrade: {
                        gatewayClassName: 'istio',
                        stepSizePercent: 25,
                        intervalSeconds: 60,
                        maxSurgePercent: 50,
                      },
                    },
                  },
                }),
              ]
            : [];
        for (const manifest of rayServices) {
          expect(schemaErrors(rayService, manifest)).toBe('');
        }
      }
    }
  });

  it('every generated Workflow passes the CRD and the JSON schema', () => {
    fc.assert(
      fc.property(
        trainJobCase,
        conversionOptions,
        fc.option(fc.uuid(), { nil: undefined }),
        ({ spec }, options, jobId) => {
          const workflow = trainJobToArgoWorkflow(spec, { ...options, jobId });
          expect(schemaErrors(argoCrd, workflow)).toBe('');
          expect(schemaErrors(argoJson, workflow)).toBe('');
        },
      ),
      { numRuns: 100 },
    );
  });

  it('every generated InferenceService and RayService passes its CRD', () => {
    fc.assert(
      fc.property(
        deploymentCase,
        conversionOptions,
        ({ spec, models }, options) => {
          const source = String((models[0].spec ?? {}).source);
          const withModel = {
            ...options,
            model: { source },
            storageUri: storageUriOf(source),
          };
          const enforced = (tool: 'kserve' | 'rayserve') =>
            checkServingTarget(
              spec.rollout.strategy,
              servingTargetOf(tool, options),
            ).length === 0;
          const checks = [
            ...(enforced('kserve')
              ? [
                  schemaErrors(
                    kserve,
                    deploymentToInferenceService(spec, withModel),
                  ),
                ]
              : []),
            ...(enforced('rayserve')
              ? [
                  schemaErrors(
                    rayService,
                    deploymentToRayService(spec, withModel),
                  ),
                ]
              : []),
          ];
          expect(checks.filter(Boolean)).toEqual([]);
        },
      ),
      { numRuns: 100 },
    );
  });
});
