import { trainJobSpecObject } from '../specs/trainJobSpecSchema';
import { deploymentSpecObject } from '../specs/deploymentSpecSchema';
import type { DeploymentSpec, TrainJobSpec } from '../specs';

/** The field schemas, to check values read back from a manifest. */
export const trainFields = trainJobSpecObject.shape;
export const datasetFields = trainFields.dataset_ref.shape;
export const hyperparamFields = trainFields.hyperparams.shape;
export const trainResourceFields = trainFields.resources.shape;
export const outputFields = trainFields.output.shape;
export const deploymentFields = deploymentSpecObject.shape;
export const runtimeFields = deploymentFields.runtime.shape;
export const deploymentResourceFields = deploymentFields.resources.shape;

/**
 * Assembles a TrainJobSpec in the canonical key order, leaving optional
 * fields out when absent.
 */
export function assembleTrainJobSpec(
  fields: Omit<TrainJobSpec, 'kind'>,
): TrainJobSpec {
  const { base_model_ref, method, use_gpu, resources, max_runtime_hours } =
    fields;
  return {
    kind: 'TrainJobSpec',
    job_type: fields.job_type,
    model_family: fields.model_family,
    ...(base_model_ref ? { base_model_ref } : {}),
    dataset_ref: fields.dataset_ref,
    hyperparams: fields.hyperparams,
    ...(method ? { method } : {}),
    resources: {
      gpus: resources.gpus,
      ...(resources.gpu_type !== undefined
        ? { gpu_type: resources.gpu_type }
        : {}),
      nodes: resources.nodes,
      ...(resources.cpus !== undefined ? { cpus: resources.cpus } : {}),
      ...(resources.memory_gb !== undefined
        ? { memory_gb: resources.memory_gb }
        : {}),
    },
    output: fields.output,
    ...(use_gpu !== undefined ? { use_gpu } : {}),
    ...(max_runtime_hours !== undefined ? { max_runtime_hours } : {}),
  };
}

/**
 * Assembles a DeploymentSpec in the canonical key order, leaving optional
 * fields out when absent.
 */
export function assembleDeploymentSpec(
  fields: Omit<DeploymentSpec, 'kind'>,
): DeploymentSpec {
  const { serve_target, use_gpu, resources } = fields;
  return {
    kind: 'DeploymentSpec',
    model_ref: fields.model_ref,
    model_family: fields.model_family,
    job_type: fields.job_type,
    ...(serve_target ? { serve_target } : {}),
    resources: {
      gpus: resources.gpus,
      gpu_memory_gb: resources.gpu_memory_gb,
      ...(resources.cpus !== undefined ? { cpus: resources.cpus } : {}),
      ...(resources.memory_gb !== undefined
        ? { memory_gb: resources.memory_gb }
        : {}),
    },
    runtime: fields.runtime,
    rollout: fields.rollout,
    ...(use_gpu !== undefined ? { use_gpu } : {}),
  };
}
