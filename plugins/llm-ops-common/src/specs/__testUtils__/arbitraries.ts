import fc from 'fast-check';
import type { Entity } from '@backstage/catalog-model';
import {
  DEFAULT_MODEL_FAMILIES,
  JOB_TYPES,
  DATASET_TYPE_FOR_JOB,
} from '../constants';
import { SERVE_TARGETS_FOR_JOB } from '../deriveServeTarget';
import type { DeploymentSpec, TrainJobSpec } from '../types';
import type { ConversionOptions } from '../../converters/types';
import { KNOWN_GPU_TYPES } from '../gpuTypes';
import type { ResourceShare } from '../platformSettings';
import { modelEntity } from './builders';

/** Free text, including non-ASCII. */
const text = fc.string({ minLength: 1, maxLength: 24, unit: 'grapheme' });
/** An entity name that is also a DNS-1035 label. */
const entityName = fc.stringMatching(/^[a-z][a-z0-9-]{0,30}[a-z0-9]$/);
/** An entity name, which becomes a Kubernetes name lower-cased. */
const artifactName = fc.stringMatching(
  /^([A-Za-z0-9]{1,8}[-_.]){0,4}[A-Za-z0-9]{1,8}$/,
);
const gpuType = fc.constantFrom(...Object.keys(KNOWN_GPU_TYPES));
/** CPU cores in millicores, as a spec may give them. */
const cpus = fc.integer({ min: 1, max: 256_000 }).map(m => m / 1000);
const memoryGb = fc.integer({ min: 1, max: 2048 });
const optional = <T>(arb: fc.Arbitrary<T>) =>
  fc.option(arb, { nil: undefined });
const family = fc.constantFrom(...DEFAULT_MODEL_FAMILIES);
const source = fc.oneof(
  entityName.map(n => `hf://org/${n}`),
  fc
    .tuple(entityName, fc.integer({ min: 1, max: 99 }))
    .map(([n, v]) => `mlflow://models/${n}/${v}`),
  entityName.map(n => `s3://models/${n}`),
);
/** The forms a reference to `model:default/<name>` can take. */
const refTo = (name: string) =>
  fc.constantFrom(name, `model:${name}`, `model:default/${name}`);

/** Drops undefined values, as a document written by hand has none. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as T;
}

/** A valid TrainJobSpec with the Model entities it refers to. */
export const trainJobCase: fc.Arbitrary<{
  spec: TrainJobSpec;
  models: Entity[];
}> = fc
  .record({
    job_type: fc.constantFrom(...JOB_TYPES),
    family,
    modelName: entityName,
    maxPositionEmbeddings: fc.integer({ min: 1, max: 131072 }),
    seqFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    dataset: fc.record({ name: text, version: text, storage_uri: text }),
    lr: fc.double({ min: 1e-12, max: 10, noNaN: true }),
    batch_size: fc.integer({ min: 1, max: 4096 }),
    num_epochs: fc.integer({ min: 1, max: 100 }),
    precision: fc.constantFrom('fp16' as const, 'bf16' as const),
    method: fc.constantFrom(
      'full' as const,
      'lora' as const,
      'qlora' as const,
      undefined,
    ),
    gpus: fc.integer({ min: 0, max: 16 }),
    gpu_type: gpuType,
    gpuTypeWhenIdle: fc.boolean(),
    nodes: fc.integer({ min: 1, max: 8 }),
    cpus: optional(cpus),
    memory_gb: optional(memoryGb),
    max_runtime_hours: optional(fc.integer({ min: 1, max: 2160 })),
    artifact_name: artifactName,
    save_format: fc.constantFrom('hf' as const, 'safetensors' as const),
    use_gpu: optional(fc.boolean()),
    refIndex: fc.nat(2),
  })
  .map(r => {
    const pretrain = r.job_type === 'PRETRAIN';
    const refs = [
      r.modelName,
      `model:${r.modelName}`,
      `model:default/${r.modelName}`,
    ];
    const spec: TrainJobSpec = defined({
      kind: 'TrainJobSpec' as const,
      job_type: r.job_type,
      model_family: r.family,
      base_model_ref: pretrain ? undefined : refs[r.refIndex],
      dataset_ref: { ...r.dataset, type: DATASET_TYPE_FOR_JOB[r.job_type] },
      hyperparams: {
        lr: r.lr,
        batch_size: r.batch_size,
        num_epochs: r.num_epochs,
        max_seq_len:
          1 + Math.floor(r.seqFraction * (r.maxPositionEmbeddings - 1)),
        precision: r.precision,
      },
      method: pretrain ? r.method && 'full' : r.method ?? 'lora',
      resources: defined({
        gpus: r.gpus,
        gpu_type: r.gpus > 0 || r.gpuTypeWhenIdle ? r.gpu_type : undefined,
        nodes: r.nodes,
        cpus: r.cpus,
        memory_gb: r.memory_gb,
      }),
      output: { artifact_name: r.artifact_name, save_format: r.save_format },
      use_gpu: r.use_gpu,
      max_runtime_hours: r.max_runtime_hours,
    });
    const models = [
      modelEntity(r.modelName, {
        type: 'base',
        family: r.family,
        maxPositionEmbeddings: r.maxPositionEmbeddings,
      }),
    ];
    return { spec, models };
  });

/** A valid DeploymentSpec with the Model entity it refers to. */
export const deploymentCase: fc.Arbitrary<{
  spec: DeploymentSpec;
  models: Entity[];
}> = fc
  .record({
    job_type: fc.constantFrom(...JOB_TYPES),
    targetIndex: fc.nat(1),
    omitTarget: fc.boolean(),
    family,
    modelName: entityName,
    ref: fc.nat(2),
    fineTuned: fc.boolean(),
    source,
    maxPositionEmbeddings: fc.integer({ min: 1, max: 131072 }),
    inputFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    gpus: fc.integer({ min: 0, max: 8 }),
    gpu_memory_gb: fc.integer({ min: 0, max: 192 }),
    minFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    max_concurrent_requests: fc.integer({ min: 1, max: 4096 }),
    max_output_tokens: fc.integer({ min: 1, max: 65536 }),
    strategy: fc.constantFrom(
      'canary' as const,
      'blue-green' as const,
      'rolling' as const,
      'recreate' as const,
    ),
    newShare: fc.integer({ min: 0, max: 100 }),
    use_gpu: optional(fc.boolean()),
    cpus: optional(cpus),
    memory_gb: optional(memoryGb),
  })
  .chain(r =>
    refTo(r.modelName).map(model_ref => {
      const targets = SERVE_TARGETS_FOR_JOB[r.job_type];
      // Blue-green switches as a whole: 100/0 or 0/100; rolling and
      // recreate replace as a whole: 0/100.
      const newShare = {
        canary: r.newShare,
        'blue-green': r.newShare >= 50 ? 100 : 0,
        rolling: 100,
        recreate: 100,
      }[r.strategy];
      const spec: DeploymentSpec = defined({
        kind: 'DeploymentSpec' as const,
        model_ref,
        model_family: r.family,
        job_type: r.job_type,
        serve_target: r.omitTarget
          ? undefined
          : targets[r.targetIndex % targets.length],
        resources: defined({
          gpus: r.gpus,
          gpu_memory_gb: r.gpu_memory_gb,
          cpus: r.cpus,
          memory_gb: r.memory_gb,
        }),
        runtime: {
          max_concurrent_requests: r.max_concurrent_requests,
          max_input_tokens:
            1 + Math.floor(r.inputFraction * (r.maxPositionEmbeddings - 1)),
          max_output_tokens: r.max_output_tokens,
        },
        rollout: {
          strategy: r.strategy,
          traffic_split: { old: 100 - newShare, new: newShare },
        },
        use_gpu: r.use_gpu,
      });
      const models = [
        modelEntity(r.modelName, {
          type: r.fineTuned ? 'fine-tuned' : 'base',
          family: r.family,
          maxPositionEmbeddings: r.maxPositionEmbeddings,
          source: r.source,
          ...(r.fineTuned
            ? { jobType: r.job_type, baseModel: 'model:default/base' }
            : {}),
          serving: {
            minGpus: Math.floor(r.minFraction * r.gpus),
            ...(r.gpu_memory_gb > 0
              ? {
                  minGpuMemoryGb: Math.max(
                    1,
                    Math.floor(r.minFraction * r.gpu_memory_gb),
                  ),
                }
              : {}),
          },
        }),
      ];
      return { spec, models };
    }),
  );

const share: fc.Arbitrary<ResourceShare> = fc.record({
  cpu: fc.integer({ min: 1, max: 64_000 }).map(m => m / 1000),
  memoryGb: fc.integer({ min: 1, max: 512 }),
});
const environment = fc.constantFrom(
  'dev' as const,
  'stg' as const,
  'prod' as const,
);
const servingSettings = fc
  .record({
    serviceAccountName: optional(entityName),
    deploymentMode: optional(
      fc.constantFrom('RawDeployment' as const, 'Serverless' as const),
    ),
    secrets: optional(
      fc
        .record({
          hfToken: optional(fc.record({ name: entityName, key: entityName })),
          storage: optional(fc.record({ name: entityName })),
        })
        .map(defined),
    ),
    resourcesPerGpu: optional(share),
    resourcesPerGpuByFamily: optional(fc.dictionary(family, share)),
    rayService: optional(
      fc
        .record({
          headResources: optional(share),
          incrementalUpgrade: optional(
            fc.record({
              gatewayClassName: entityName,
              stepSizePercent: fc.integer({ min: 1, max: 100 }),
              intervalSeconds: fc.integer({ min: 1, max: 3600 }),
            }),
          ),
        })
        .map(defined),
    ),
  })
  .map(defined);
const trainingSettings = fc
  .record({
    serviceAccountName: optional(entityName),
    activeDeadlineSeconds: optional(fc.integer({ min: 1, max: 10_000_000 })),
    resourcesPerGpu: optional(share),
    resourcesPerGpuByType: optional(fc.dictionary(gpuType, share)),
  })
  .map(defined);

/** The platform settings a conversion may run under. */
export const conversionOptions: fc.Arbitrary<ConversionOptions> = fc
  .record({
    gpuAvailable: optional(fc.boolean()),
    environment: optional(environment),
    namespace: optional(entityName),
    training: optional(trainingSettings),
    serving: optional(servingSettings),
    environments: optional(
      fc.dictionary(
        environment,
        fc
          .record({
            training: optional(trainingSettings),
            serving: optional(servingSettings),
          })
          .map(defined),
      ),
    ),
  })
  .map(defined);
