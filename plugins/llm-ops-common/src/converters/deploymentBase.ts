import { z } from 'zod';
import { deriveServeTarget } from '../specs/deriveServeTarget';
import { selectServeImage } from '../specs/selectImage';
import type { DeploymentSpec, ServeTarget } from '../specs';
import { ConversionError } from './ConversionError';
import {
  ANNOTATION_DEFAULTED,
  ANNOTATION_GPU_MEMORY,
  ANNOTATION_GPUS,
  ANNOTATION_MODEL_FAMILY,
  ANNOTATION_MODEL_REF,
  ANNOTATION_USE_GPU,
  GPU_TOLERATION,
  LABEL_JOB_TYPE,
  LABEL_MANAGED_BY,
  LABEL_ROLLOUT_STRATEGY,
  LABEL_SERVE_TARGET,
  MANAGED_BY,
  defaultedFields,
  fail,
  gpuMemoryAffinity,
  numeric,
  parseAs,
  podResources,
  readBoolean,
  readCpuQuantity,
  readDefaultedFields,
  readGpuMemoryAffinity,
  readMemoryQuantity,
  refName,
  requireKind,
  requireRecord,
  resourceQuantities,
  stringMap,
  toK8sName,
} from './manifestHelpers';
import { podSize, servingPlatform } from './platform';
import { deploymentFields, deploymentResourceFields } from './specFields';
import type {
  DeploymentConversionOptions,
  ManifestContainer,
  ManifestEnvVar,
  ManifestMetadata,
  ManifestScheduling,
} from './types';

/** What both serving converters derive from a DeploymentSpec. */
export interface DeploymentBase {
  name: string;
  image: string;
  serveTarget: ServeTarget;
  /** The model's `source`, or `options.storageUri` when given. */
  storageUri: string;
  metadata: ManifestMetadata;
  /** GPUs each replica requests: none when the cpu image is selected. */
  gpus: number;
  /** CPU, memory and GPU requests (equal to the limits) of a replica. */
  resources: NonNullable<ManifestContainer['resources']>;
  /** Memory of a replica, GiB. */
  memoryGb: number;
  scheduling: ManifestScheduling;
  serviceAccountName?: string;
  /** `HF_TOKEN` from the environment's Secret, if one is configured. */
  env: ManifestEnvVar[];
}

/**
 * The name, image, metadata, resources and GPU placement of a deployment.
 * GPUs are requested only with the gpu image; GPU memory becomes a node
 * affinity on the `nvidia.com/gpu.memory` label (see
 * `minimumGpuMemoryMiB`); CPU and memory come from the spec or the
 * per-GPU share of the model family. What a manifest cannot carry natively
 * goes to `llmops.dev/*` annotations.
 */
export function deploymentBase(
  spec: DeploymentSpec,
  options: DeploymentConversionOptions,
  extra: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  } = {},
): DeploymentBase {
  const serveTarget = spec.serve_target ?? deriveServeTarget(spec.job_type);
  const { image, variant } = selectServeImage(serveTarget, {
    ...options,
    useGpu: spec.use_gpu,
  });
  const source = options.model?.source;
  if (
    options.storageUri === undefined &&
    (typeof source !== 'string' || source === '')
  ) {
    throw new ConversionError(
      'model_ref',
      `model_ref ${spec.model_ref} has no source to serve from; set spec.source of the Model`,
    );
  }
  if (options.storageUri !== undefined && options.storageUri === '') {
    throw new ConversionError(
      'storageUri',
      'storageUri is empty: pass the URI the weights are downloaded from, or leave it out to serve the Model source',
    );
  }
  const storageUri = options.storageUri ?? source;
  const name =
    options.name !== undefined
      ? toK8sName(options.name, 'name', { startWithLetter: true })
      : toK8sName(refName(spec.model_ref), 'model_ref', {
          startWithLetter: true,
        });

  const onGpu = variant === 'gpu';
  const gpus = onGpu ? spec.resources.gpus : 0;
  const memoryNative = gpus > 0 && spec.resources.gpu_memory_gb > 0;
  const annotations: Record<string, string> = {
    [ANNOTATION_MODEL_REF]: spec.model_ref,
    [ANNOTATION_MODEL_FAMILY]: spec.model_family,
    ...extra.annotations,
  };
  if (spec.use_gpu !== undefined) {
    annotations[ANNOTATION_USE_GPU] = String(spec.use_gpu);
  }
  const platform = servingPlatform(options);
  const size = podSize(spec.resources, platform.share(spec.model_family), gpus);
  const defaulted = defaultedFields([
    spec.serve_target === undefined && 'serve_target',
    ...size.defaulted,
  ]);
  if (defaulted) {
    annotations[ANNOTATION_DEFAULTED] = defaulted;
  }
  if (!onGpu) {
    annotations[ANNOTATION_GPUS] = String(spec.resources.gpus);
  }
  if (!memoryNative) {
    annotations[ANNOTATION_GPU_MEMORY] = String(spec.resources.gpu_memory_gb);
  }

  return {
    name,
    image,
    serveTarget,
    storageUri: storageUri as string,
    gpus,
    metadata: {
      name,
      ...(options.namespace ? { namespace: options.namespace } : {}),
      labels: {
        [LABEL_MANAGED_BY]: MANAGED_BY,
        [LABEL_JOB_TYPE]: spec.job_type,
        [LABEL_SERVE_TARGET]: serveTarget,
        [LABEL_ROLLOUT_STRATEGY]: spec.rollout.strategy,
        ...extra.labels,
      },
      annotations,
    },
    resources: podResources(gpus, size.cpus, size.memoryGb),
    memoryGb: size.memoryGb,
    scheduling: {
      ...(memoryNative
        ? { affinity: gpuMemoryAffinity(spec.resources.gpu_memory_gb) }
        : {}),
      ...(gpus > 0 ? { tolerations: [GPU_TOLERATION] } : {}),
    },
    ...(platform.serviceAccountName
      ? { serviceAccountName: platform.serviceAccountName }
      : {}),
    env: platform.hfToken
      ? [
          {
            name: 'HF_TOKEN',
            valueFrom: {
              secretKeyRef: {
                name: platform.hfToken.name,
                key: platform.hfToken.key,
              },
            },
          },
        ]
      : [],
  };
}

/** What both serving converters read back from a manifest's metadata. */
export interface DeploymentBaseFields {
  metadata: Record<string, unknown>;
  annotations: Record<string, string>;
  labels: Record<string, string>;
  model_ref: string;
  model_family: string;
  job_type: DeploymentSpec['job_type'];
  /** The strategy label, if the manifest has one. */
  strategy?: DeploymentSpec['rollout']['strategy'];
  /** Whether serve_target was left out of the document. */
  serveTargetDefaulted: boolean;
  use_gpu?: boolean;
  /** GPUs from the annotation, else from `nativeGpus`. */
  readGpus(native: unknown, path: string): number;
  /** GPU memory from the annotation, else from the node affinity. */
  readGpuMemory(affinity: unknown, path: string): number;
  /**
   * `resources.cpus` and `memory_gb` from a container's `resources` (its
   * limits, else its requests), unless defaulted.
   */
  readSize(
    resources: unknown,
    path: string,
  ): { cpus?: number; memory_gb?: number };
}

export function readDeploymentBase(
  input: unknown,
  apiVersion: string,
  kind: string,
): DeploymentBaseFields & { manifest: Record<string, unknown> } {
  const manifest = requireRecord(input, '');
  requireKind(manifest, apiVersion, kind);
  const metadata = requireRecord(manifest.metadata, 'metadata');
  const annotations = stringMap(metadata.annotations, 'metadata.annotations');
  const labels = stringMap(metadata.labels, 'metadata.labels');
  const annotation = <T>(schema: z.ZodType<T>, key: string, isNumber = false) =>
    parseAs(
      schema,
      isNumber ? numeric(annotations[key]) : annotations[key],
      `metadata.annotations["${key}"]`,
    );
  const strategy = labels[LABEL_ROLLOUT_STRATEGY];
  return {
    manifest,
    metadata,
    annotations,
    labels,
    model_ref: annotation(deploymentFields.model_ref, ANNOTATION_MODEL_REF),
    model_family: annotation(
      deploymentFields.model_family,
      ANNOTATION_MODEL_FAMILY,
    ),
    job_type: parseAs(
      deploymentFields.job_type,
      labels[LABEL_JOB_TYPE],
      `metadata.labels["${LABEL_JOB_TYPE}"]`,
    ),
    strategy:
      strategy === undefined
        ? undefined
        : parseAs(
            deploymentFields.rollout.shape.strategy,
            strategy,
            `metadata.labels["${LABEL_ROLLOUT_STRATEGY}"]`,
          ),
    serveTargetDefaulted: readDefaultedFields(annotations).has('serve_target'),
    use_gpu: readBoolean(
      annotations,
      ANNOTATION_USE_GPU,
      'metadata.annotations',
    ),
    readGpus(native, path) {
      return annotations[ANNOTATION_GPUS] !== undefined
        ? annotation(deploymentResourceFields.gpus, ANNOTATION_GPUS, true)
        : parseAs(deploymentResourceFields.gpus, numeric(native ?? 0), path);
    },
    readGpuMemory(affinity, path) {
      if (annotations[ANNOTATION_GPU_MEMORY] !== undefined) {
        return annotation(
          deploymentResourceFields.gpu_memory_gb,
          ANNOTATION_GPU_MEMORY,
          true,
        );
      }
      const gb = readGpuMemoryAffinity(affinity, path);
      if (gb === undefined) {
        fail(
          new ConversionError(
            path,
            `${path} has no ${'nvidia.com/gpu.memory'} node affinity and metadata.annotations has no ${ANNOTATION_GPU_MEMORY}`,
          ),
        );
      }
      return parseAs(deploymentResourceFields.gpu_memory_gb, gb, path);
    },
    readSize(resources, path) {
      const defaulted = readDefaultedFields(annotations);
      const quantities = resourceQuantities(resources, path);
      const cpu = quantities.get('cpu');
      const memory = quantities.get('memory');
      return {
        cpus:
          defaulted.has('resources.cpus') || cpu === undefined
            ? undefined
            : parseAs(
                deploymentResourceFields.cpus.unwrap(),
                readCpuQuantity(cpu.value, cpu.path),
                cpu.path,
              ),
        memory_gb:
          defaulted.has('resources.memory_gb') || memory === undefined
            ? undefined
            : parseAs(
                deploymentResourceFields.memory_gb.unwrap(),
                readMemoryQuantity(memory.value, memory.path),
                memory.path,
              ),
      };
    },
  };
}
