/*
 * Spec validation and conversion throughput, on one core (JavaScript runs
 * these single-threaded). Run from the repository root:
 *
 *   node -r @backstage/cli/config/nodeTransform.cjs plugins/llm-ops-common/src/bench/specsBench.ts
 *
 * BENCH_SECONDS sets the duration of each phase (default 3).
 */
import type { Entity } from '@backstage/catalog-model';
import {
  DATASET_TYPE_FOR_JOB,
  DEFAULT_MODEL_FAMILIES,
  InMemoryModelResolver,
  JOB_TYPES,
  validateSpec,
} from '../specs';
import type { DeploymentSpec, JobType, TrainJobSpec } from '../specs';
import {
  deploymentToInferenceService,
  deploymentToRayService,
  trainJobToArgoWorkflow,
  trainJobToMlflow,
} from '../converters';

const MODELS = 10_000;
const DOCUMENTS = 2_000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);


/** A deterministic pseudo-random sequence, so that runs compare. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}
const rand = random(42);
const pick = <T>(values: readonly T[]): T =>
  values[Math.floor(rand() * values.length)];

interface Model {
  name: string;
  family: string;
  maxPositionEmbeddings: number;
  jobType?: JobType;
  source: string;
}

function buildModels(): Model[] {
  return Array.from({ length: MODELS }, (_, i) => {
    const fineTuned = i % 2 === 1;
    return {
      name: `model-${i}`,
      family: pick(DEFAULT_MODEL_FAMILIES),
      maxPositionEmbeddings: pick([2048, 4096, 8192, 32768]),
      jobType: fineTuned
        ? pick(JOB_TYPES.filter(t => t !== 'PRETRAIN'))
        : undefined,
      source: fineTuned
        ? `mlflow://models/model-${i}/1`
        : `hf://org/model-${i}`,
    };
  });
}

function toEntity(model: Model): Entity {
  return {
    apiVersion: 'llmops.dev/v1alpha1',
    kind: 'Model',
    metadata: { name: model.name },
    spec: {
      type: model.jobType ? 'fine-tuned' : 'base',
      family: model.family,
      owner: 'group:default/ml-platform',
      lifecycle: 'production',
      maxPositionEmbeddings: model.maxPositionEmbeddings,
      source: model.source,
      ...(model.jobType
        ? { jobType: model.jobType, baseModel: 'model:default/model-0' }
        : {}),
      serving: { minGpus: 1, minGpuMemoryGb: 24 },
    },
  };
}

function trainJob(base: Model): TrainJobSpec {
  const jobType = pick(JOB_TYPES.filter(t => t !== 'PRETRAIN'));
  return {
    kind: 'TrainJobSpec',
    job_type: jobType,
    model_family: base.family,
    base_model_ref: `model:default/${base.name}`,
    dataset_ref: {
      name: 'corpus',
      version: 'v1',
      type: DATASET_TYPE_FOR_JOB[jobType],
      storage_uri: 's3://datasets/corpus/v1',
    },
    hyperparams: {
      lr: 2e-5,
      batch_size: 8,
      num_epochs: 3,
      max_seq_len: base.maxPositionEmbeddings,
      precision: 'bf16',
    },
    method: pick(['full', 'lora', 'qlora'] as const),
    resources: {
      gpus: 8,
      gpu_type: 'nvidia-a100-80gb',
      nodes: pick([1, 2, 4]),
    },
    output: { artifact_name: `${base.name}-tuned`, save_format: 'safetensors' },
  };
}

function deployment(model: Model): DeploymentSpec {
  const canary = rand() < 0.5;
  return {
    kind: 'DeploymentSpec',
    model_ref: `model:default/${model.name}`,
    model_family: model.family,
    job_type: model.jobType ?? 'PRETRAIN',
    resources: { gpus: 2, gpu_memory_gb: 80 },
    runtime: {
      max_concurrent_requests: 64,
      max_input_tokens: model.maxPositionEmbeddings,
      max_output_tokens: 1024,
    },
    rollout: canary
      ? { strategy: 'canary', traffic_split: { old: 90, new: 10 } }
      : { strategy: 'blue-green', traffic_split: { old: 0, new: 100 } },
  };
}

/** Breaks a valid document in one of several ways. */
function invalid(doc: TrainJobSpec | DeploymentSpec): Record<string, unknown> {
  switch (Math.floor(rand() * 4)) {
    case 0:
      return { ...doc, model_family: 'gpt' };
    case 1:
      return { ...doc, serve_image: 'registry/custom:latest' };
    case 2:
      return doc.kind === 'TrainJobSpec'
        ? {
            ...doc,
            hyperparams: { ...doc.hyperparams, lr: -1, max_seq_len: 1e6 },
          }
        : {
            ...doc,
            rollout: {
              strategy: 'blue-green',
              traffic_split: { old: 50, new: 51 },
            },
          };
    default:
      return doc.kind === 'TrainJobSpec'
        ? { ...doc, base_model_ref: 'model:default/unknown' }
        : { ...doc, model_ref: 'model:default/unknown', typo: true };
  }
}

/** Runs `step` repeatedly for SECONDS and returns the calls per second. */
async function measure(step: (i: number) => unknown): Promise<number> {
  const deadline = performance.now() + SECONDS * 1000;
  const start = performance.now();
  let count = 0;
  while (performance.now() < deadline) {
    for (let i = 0; i < 256; i++) {
      await step(count++);
    }
  }
  return Math.round(count / ((performance.now() - start) / 1000));
}

async function main() {
  const models = buildModels();
  const resolver = new InMemoryModelResolver(models.map(toEntity));

  const valid: Array<TrainJobSpec | DeploymentSpec> = Array.from(
    { length: DOCUMENTS },
    (_, i) => (i % 2 ? deployment(pick(models)) : trainJob(pick(models))),
  );
  const documents: unknown[] = valid.map(doc =>
    rand() < 0.3 ? invalid(doc) : doc,
  );

  let validCount = 0;
  for (const doc of documents) {
    if ((await validateSpec(doc, { resolver })).valid) {
      validCount++;
    }
  }

  const validations = await measure(i =>
    validateSpec(documents[i % documents.length], { resolver }),
  );

  const convert = (i: number) => {
    const doc = valid[Math.floor(i / 2) % valid.length];
    if (doc.kind === 'TrainJobSpec') {
      return i % 2 ? trainJobToArgoWorkflow(doc) : trainJobToMlflow(doc);
    }
    const model = resolver.get(doc.model_ref);
    if (!model) {
      throw new Error(`${doc.model_ref} is not indexed`);
    }
    return i % 2
      ? deploymentToRayService(doc, { model })
      : deploymentToInferenceService(doc, { model });
  };
  const conversions = await measure(convert);

  process.stdout.write(
    [
      `models indexed: ${resolver.size}`,
      `documents: ${documents.length} (${validCount} valid, ${
        documents.length - validCount
      } invalid; TrainJobSpec and DeploymentSpec alternate)`,
      `validations/s: ${validations}`,
      `conversions/s: ${conversions}`,
      '',
    ].join('\n'),
  );
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
