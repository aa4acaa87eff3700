import { z } from 'zod';
import { isRecord } from '../specs/checkStructure';
import { selectTrainImage } from '../specs/selectImage';
import type { TrainJobSpec } from '../specs';
import {
  assembleTrainJobSpec,
  datasetFields,
  hyperparamFields,
  outputFields,
  trainFields,
  trainResourceFields,
} from './specFields';
import {
  defaultedFields,
  numeric,
  parseAs,
  readManifest,
  requireArray,
  requireRecord,
} from './manifestHelpers';
import type { ConversionOptions, MlflowRun } from './types';
import { MLFLOW_TAGS } from '../mlflowTags';

const TAG = MLFLOW_TAGS;

/**
 * Converts a TrainJobSpec to an MLflow run: the experiment is named after
 * the model family and job type, the run after the output artifact; the
 * params are the flattened hyperparameters and the method; the tags
 * (`llmops.*`) carry the rest of the spec and the selected image.
 *
 * @public
 */
export function trainJobToMlflow(
  spec: TrainJobSpec,
  options: ConversionOptions = {},
): MlflowRun {
  const { image } = selectTrainImage(spec.job_type, {
    ...options,
    useGpu: spec.use_gpu,
  });
  const { hyperparams, dataset_ref, resources, output } = spec;
  const tags: Record<string, string> = {
    [TAG.jobType]: spec.job_type,
    [TAG.modelFamily]: spec.model_family,
    [TAG.datasetRef]: dataset_ref.name,
    [TAG.datasetVersion]: dataset_ref.version,
    [TAG.datasetType]: dataset_ref.type,
    [TAG.datasetUri]: dataset_ref.storage_uri,
    [TAG.artifactName]: output.artifact_name,
    [TAG.saveFormat]: output.save_format,
    [TAG.gpus]: String(resources.gpus),
    [TAG.nodes]: String(resources.nodes),
    [TAG.image]: image,
  };
  if (spec.base_model_ref) {
    tags[TAG.baseModelRef] = spec.base_model_ref;
  }
  if (resources.gpu_type !== undefined) {
    tags[TAG.gpuType] = resources.gpu_type;
  }
  if (spec.use_gpu !== undefined) {
    tags[TAG.useGpu] = String(spec.use_gpu);
  }
  if (resources.cpus !== undefined) {
    tags[TAG.cpus] = String(resources.cpus);
  }
  if (resources.memory_gb !== undefined) {
    tags[TAG.memoryGb] = String(resources.memory_gb);
  }
  if (spec.max_runtime_hours !== undefined) {
    tags[TAG.maxRuntimeHours] = String(spec.max_runtime_hours);
  }
  const defaulted = defaultedFields([spec.method === undefined && 'method']);
  if (defaulted) {
    tags[TAG.defaulted] = defaulted;
  }
  return {
    experiment_name: `llmops-${spec.model_family}-${spec.job_type
      .toLowerCase()
      .replaceAll('_', '-')}`,
    run_name: output.artifact_name,
    params: {
      lr: String(hyperparams.lr),
      batch_size: String(hyperparams.batch_size),
      num_epochs: String(hyperparams.num_epochs),
      max_seq_len: String(hyperparams.max_seq_len),
      precision: hyperparams.precision,
      method: spec.method ?? 'full',
    },
    tags,
  };
}

/**
 * Reads a TrainJobSpec back from an MLflow run made by `trainJobToMlflow`.
 * Params and tags may be maps or MLflow's `[{key, value}]` lists. Throws a
 * ConversionError naming the params and tags that are missing or malformed
 * (all of them in its `errors`).
 *
 * @public
 */
export function mlflowToTrainJob(run: unknown): TrainJobSpec {
  return readManifest(() => readRun(run));
}

function readRun(run: unknown): TrainJobSpec {
  const record = requireRecord(run, '');
  const params = keyValues(record.params, 'params');
  const tags = keyValues(record.tags, 'tags');
  const param = <T>(schema: z.ZodType<T>, key: string, isNumber = false) =>
    parseAs(
      schema,
      isNumber ? numeric(params[key]) : params[key],
      `params["${key}"]`,
    );
  const tag = <T>(schema: z.ZodType<T>, key: string, isNumber = false) =>
    parseAs(
      schema,
      isNumber ? numeric(tags[key]) : tags[key],
      `tags["${key}"]`,
    );
  const defaulted = new Set((tags[TAG.defaulted] ?? '').split(','));
  const useGpu = tags[TAG.useGpu];

  return assembleTrainJobSpec({
    job_type: tag(trainFields.job_type, TAG.jobType),
    model_family: tag(trainFields.model_family, TAG.modelFamily),
    base_model_ref:
      tags[TAG.baseModelRef] === undefined
        ? undefined
        : tag(z.string().min(1), TAG.baseModelRef),
    dataset_ref: {
      name: tag(datasetFields.name, TAG.datasetRef),
      version: tag(datasetFields.version, TAG.datasetVersion),
      type: tag(datasetFields.type, TAG.datasetType),
      storage_uri: tag(datasetFields.storage_uri, TAG.datasetUri),
    },
    hyperparams: {
      lr: param(hyperparamFields.lr, 'lr', true),
      batch_size: param(hyperparamFields.batch_size, 'batch_size', true),
      num_epochs: param(hyperparamFields.num_epochs, 'num_epochs', true),
      max_seq_len: param(hyperparamFields.max_seq_len, 'max_seq_len', true),
      precision: param(hyperparamFields.precision, 'precision'),
    },
    method: defaulted.has('method')
      ? undefined
      : param(trainFields.method.unwrap(), 'method'),
    resources: {
      gpus: tag(trainResourceFields.gpus, TAG.gpus, true),
      gpu_type:
        tags[TAG.gpuType] === undefined
          ? undefined
          : tag(trainResourceFields.gpu_type.unwrap(), TAG.gpuType),
      nodes: tag(trainResourceFields.nodes, TAG.nodes, true),
      cpus:
        tags[TAG.cpus] === undefined
          ? undefined
          : tag(trainResourceFields.cpus.unwrap(), TAG.cpus, true),
      memory_gb:
        tags[TAG.memoryGb] === undefined
          ? undefined
          : tag(trainResourceFields.memory_gb.unwrap(), TAG.memoryGb, true),
    },
    output: {
      artifact_name: tag(outputFields.artifact_name, TAG.artifactName),
      save_format: tag(outputFields.save_format, TAG.saveFormat),
    },
    use_gpu:
      useGpu === undefined
        ? undefined
        : tag(z.enum(['true', 'false']), TAG.useGpu) === 'true',
    max_runtime_hours:
      tags[TAG.maxRuntimeHours] === undefined
        ? undefined
        : tag(
            trainFields.max_runtime_hours.unwrap(),
            TAG.maxRuntimeHours,
            true,
          ),
  });
}

/** A map of strings from a map or from MLflow's `[{key, value}]` list. */
function keyValues(value: unknown, path: string): Record<string, string> {
  const result: Record<string, string> = {};
  const entries = Array.isArray(value)
    ? requireArray(value, path).map(entry =>
        isRecord(entry) ? [entry.key, entry.value] : [],
      )
    : Object.entries(requireRecord(value, path));
  for (const [key, entry] of entries) {
    if (typeof key === 'string' && typeof entry === 'string') {
      result[key] = entry;
    }
  }
  return result;
}
