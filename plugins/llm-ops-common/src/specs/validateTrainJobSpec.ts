import {
  DATASET_TYPE_FOR_JOB,
  DEFAULT_MODEL_FAMILIES,
  TRAIN_METHODS,
} from './constants';
import { checkStructure, getAt, show } from './checkStructure';
import { trainJobSpecObject } from './trainJobSpecSchema';
import { checkModelFamily } from './checkModelFamily';
import { gpuTypeTable, suggestGpuType } from './gpuTypes';
import { DEFAULT_SPEC_LIMITS, checkMaximum } from './specLimits';
import type {
  SpecValidationError,
  SpecValidationOptions,
  SpecValidationResult,
  TrainJobSpec,
} from './types';

const fields = trainJobSpecObject.shape;
const { dataset_ref, hyperparams, resources, output } = fields;

/**
 * An entity name of the catalog, as the Model the job registers is named
 * (`model:default/<artifact_name>`); lower-cased, with `-` for `_` and `.`,
 * it is also a Kubernetes name, the Argo Workflow's.
 */
const ARTIFACT_NAME = /^([A-Za-z0-9]+[-_.])*[A-Za-z0-9]+$/;
const ARTIFACT_NAME_MAX = 63;

/**
 * Validates a TrainJobSpec document, returning every error with its rule
 * code. The cross-field rules run even when unrelated fields are broken.
 *
 * @public
 */
export async function validateTrainJobSpec(
  doc: unknown,
  options: SpecValidationOptions,
): Promise<SpecValidationResult<TrainJobSpec>> {
  const limits = { ...DEFAULT_SPEC_LIMITS, ...options.limits };
  const check = checkStructure(trainJobSpecObject, doc, limits, {
    'dataset_ref.storage_uri': 'maxUriLength',
    'output.artifact_name': null,
  });
  const errors: SpecValidationError[] = check.errors;
  const jobType = check.read(fields.job_type, 'job_type');
  const family = check.read(fields.model_family, 'model_family');
  const baseModelRef = check.read(fields.base_model_ref, 'base_model_ref');
  const baseModelBroken =
    baseModelRef === undefined && getAt(doc, ['base_model_ref']) !== undefined;

  checkModelFamily(
    family,
    options.modelFamilies ?? DEFAULT_MODEL_FAMILIES,
    errors,
  );

  if (jobType === 'PRETRAIN' && baseModelRef) {
    errors.push({
      path: 'base_model_ref',
      rule: 'base_model_ref.forbidden',
      message: `base_model_ref must be absent for PRETRAIN jobs, which train from scratch, got ${show(
        baseModelRef,
      )}; remove it, or choose SFT, RAG_TUNING, RLHF or EMBEDDING to start from a base model`,
    });
  }
  if (jobType && jobType !== 'PRETRAIN' && !baseModelRef && !baseModelBroken) {
    errors.push({
      path: 'base_model_ref',
      rule: 'base_model_ref.required',
      message: `base_model_ref is required for ${jobType} jobs: name the model to start from, such as model:default/llama-3-8b`,
    });
  }

  const datasetType = check.read(dataset_ref.shape.type, 'dataset_ref.type');
  if (jobType && datasetType && DATASET_TYPE_FOR_JOB[jobType] !== datasetType) {
    errors.push({
      path: 'dataset_ref.type',
      rule: 'dataset_ref.type_mismatch',
      message: `dataset_ref.type must be ${
        DATASET_TYPE_FOR_JOB[jobType]
      } for ${jobType} jobs, got ${show(datasetType)}; use a dataset of type ${
        DATASET_TYPE_FOR_JOB[jobType]
      } or change job_type`,
    });
  }

  const method = check.read(fields.method, 'method');
  if (jobType === 'PRETRAIN' && method && method !== 'full') {
    errors.push({
      path: 'method',
      rule: 'method.not_allowed',
      message: `method ${show(
        method,
      )} is not allowed for PRETRAIN jobs, which allow only full; set method to full or remove it`,
    });
  }
  if (
    jobType &&
    jobType !== 'PRETRAIN' &&
    getAt(doc, ['method']) === undefined
  ) {
    errors.push({
      path: 'method',
      rule: 'schema',
      message: `method is required for ${jobType} jobs: one of ${TRAIN_METHODS.join(
        ', ',
      )}`,
    });
  }

  const gpus = check.read(resources.shape.gpus, 'resources.gpus');
  if (gpus && gpus > 0 && getAt(doc, ['resources', 'gpu_type']) === undefined) {
    errors.push({
      path: 'resources.gpu_type',
      rule: 'schema',
      message: `resources.gpu_type is required when resources.gpus is above 0 (got ${gpus}): name the GPU type, such as nvidia-a100-80gb, or set gpus to 0`,
    });
  }

  const gpuType = check.read(resources.shape.gpu_type, 'resources.gpu_type');
  if (gpuType !== undefined) {
    checkGpuType(gpuType, options, errors);
  }

  checkMaximum(
    check.read(resources.shape.nodes, 'resources.nodes'),
    {
      path: 'resources.nodes',
      rule: 'resources.nodes_exceeds_limit',
      key: 'maxNodes',
      unit: 'nodes',
    },
    limits,
    errors,
  );
  checkMaximum(
    gpus,
    {
      path: 'resources.gpus',
      rule: 'resources.gpus_exceeds_limit',
      key: 'maxGpusPerNode',
      unit: 'GPUs per node',
    },
    limits,
    errors,
  );
  checkMaximum(
    check.read(hyperparams.shape.num_epochs, 'hyperparams.num_epochs'),
    {
      path: 'hyperparams.num_epochs',
      rule: 'hyperparams.num_epochs_exceeds_limit',
      key: 'maxEpochs',
      unit: 'epochs',
    },
    limits,
    errors,
  );

  const artifactName = check.read(
    output.shape.artifact_name,
    'output.artifact_name',
  );
  if (
    artifactName !== undefined &&
    (artifactName.length > ARTIFACT_NAME_MAX ||
      !ARTIFACT_NAME.test(artifactName))
  ) {
    errors.push({
      path: 'output.artifact_name',
      rule: 'output.artifact_name_invalid',
      message: `output.artifact_name must be 1 to ${ARTIFACT_NAME_MAX} ASCII letters, digits and -, _ or . between them, got ${show(
        artifactName,
      )}: it names the Model the job registers in the catalog and, lower-cased, the Argo Workflow`,
    });
  }

  if (baseModelRef && jobType !== 'PRETRAIN') {
    const model = await options.resolver.resolve(baseModelRef);
    if (!model) {
      errors.push({
        path: 'base_model_ref',
        rule: 'base_model_ref.unresolved',
        message: `base_model_ref ${show(
          baseModelRef,
        )} names no known model; use the reference of a Model in the catalog, such as model:default/llama-3-8b`,
      });
    } else {
      if (family && family !== model.family) {
        errors.push({
          path: 'model_family',
          rule: 'model_family.base_model_mismatch',
          message: `model_family ${show(
            family,
          )} differs from the family of base model ${model.ref} (${show(
            model.family,
          )}); set model_family to ${
            model.family
          } or choose a ${family} base model`,
        });
      }
      const maxSeqLen = check.read(
        hyperparams.shape.max_seq_len,
        'hyperparams.max_seq_len',
      );
      if (maxSeqLen && maxSeqLen > model.maxPositionEmbeddings) {
        errors.push({
          path: 'hyperparams.max_seq_len',
          rule: 'hyperparams.max_seq_len_exceeds_base_model',
          message: `hyperparams.max_seq_len ${maxSeqLen} exceeds the maxPositionEmbeddings of base model ${model.ref} (${model.maxPositionEmbeddings}); set it to ${model.maxPositionEmbeddings} or less`,
        });
      }
    }
  }

  if (errors.length === 0 && check.data) {
    return { valid: true, spec: check.data, errors: [] };
  }
  return { valid: false, errors };
}

/** The `resources.gpu_type_unknown` rule. */
function checkGpuType(
  gpuType: string,
  options: SpecValidationOptions,
  errors: SpecValidationError[],
) {
  const table = gpuTypeTable(options.gpuTypes);
  if (Object.hasOwn(table, gpuType)) {
    return;
  }
  const suggestion = suggestGpuType(gpuType, options.gpuTypes);
  errors.push({
    path: 'resources.gpu_type',
    rule: 'resources.gpu_type_unknown',
    message: `resources.gpu_type ${show(gpuType)} is not a known GPU type${
      suggestion ? ` (did you mean ${suggestion}?)` : ''
    }; use one of ${Object.keys(table).join(
      ', ',
    )}, or add it to llmOps.gpuTypes with the nvidia.com/gpu.product values of its nodes`,
  });
}
