import { z } from 'zod';
import { SPEC_ENVIRONMENTS } from './constants';
import type { SpecEnvironment } from './constants';

/**
 * CPU cores and memory, per GPU: a pod requests (and is limited to) this
 * times its GPUs, and a pod without GPUs as much as for one GPU.
 *
 * @public
 */
export interface ResourceShare {
  /** CPU cores; fractions in steps of 0.001 (millicores). */
  cpu: number;
  /** Memory in GiB. */
  memoryGb: number;
}

/**
 * A key of a Kubernetes Secret, referenced by name: the manifests carry the
 * reference (`valueFrom.secretKeyRef`), never the value.
 *
 * @public
 */
export interface SecretKeyReference {
  name: string;
  key: string;
}

/**
 * How KServe runs an InferenceService (`serving.kserve.io/deploymentMode`,
 * KServe v0.15 names): `RawDeployment` (a Kubernetes Deployment, no
 * Knative) or `Serverless` (Knative revisions, which canary and blue-green
 * rollouts need).
 *
 * @public
 */
export type KServeDeploymentMode = 'RawDeployment' | 'Serverless';

/** The KServe deployment modes. @public */
export const KSERVE_DEPLOYMENT_MODES = ['RawDeployment', 'Serverless'] as const;

/**
 * Training settings: `llmOps.training`, and per environment
 * `llmOps.environments.<env>.training`, whose keys take precedence.
 *
 * @public
 */
export interface TrainingSettings {
  /** The Workflow's `spec.serviceAccountName`; none leaves the namespace's default. */
  serviceAccountName?: string;
  /** The Workflow's `spec.activeDeadlineSeconds` when the spec has no `max_runtime_hours`. */
  activeDeadlineSeconds?: number;
  /** CPU and memory per GPU of a node without `resources.cpus` / `memory_gb`. */
  resourcesPerGpu?: ResourceShare;
  /** The same, per `resources.gpu_type`. */
  resourcesPerGpuByType?: Record<string, ResourceShare>;
  /**
   * The training images' entrypoint, written as the container's `command`
   * (the spec's hyperparameters stay its args). Without it Argo's emissary
   * executor looks the entrypoint up in the registry (or in the
   * workflow-controller's `images` index), which fails where the
   * controller cannot reach the registry.
   */
  command?: string[];
}

/**
 * Serving settings: `llmOps.serving`, and per environment
 * `llmOps.environments.<env>.serving`, whose keys take precedence.
 *
 * @public
 */
export interface ServingSettings {
  /** The predictor's or Ray pods' `serviceAccountName`. */
  serviceAccountName?: string;
  /** KServe's deployment mode, pinned on every InferenceService. */
  deploymentMode?: KServeDeploymentMode;
  secrets?: {
    /** `HF_TOKEN` of the serving containers. */
    hfToken?: SecretKeyReference;
    /**
     * The Secret KServe's storage initializer downloads the model with
     * (`serving.kserve.io/storageSecretName`): S3 keys, or `HF_TOKEN` for
     * `hf://` models.
     */
    storage?: { name: string };
  };
  /** CPU and memory per GPU of a replica without `resources.cpus` / `memory_gb`. */
  resourcesPerGpu?: ResourceShare;
  /** The same, per `model_family`. */
  resourcesPerGpuByFamily?: Record<string, ResourceShare>;
  rayService?: {
    /** The Ray head's CPU and memory. */
    headResources?: ResourceShare;
    /**
     * KubeRay's `NewClusterWithIncrementalUpgrade`. Set it only where the
     * operator runs with `--feature-gates=RayServiceIncrementalUpgrade=true`
     * and the Gateway API (with this GatewayClass) is installed: without
     * the gate KubeRay accepts the type but upgrades without a new cluster.
     */
    incrementalUpgrade?: {
      gatewayClassName: string;
      stepSizePercent: number;
      intervalSeconds: number;
      maxSurgePercent?: number;
    };
  };
}

/**
 * The settings of one environment, `llmOps.environments.<env>`.
 *
 * @public
 */
export interface EnvironmentSettings {
  training?: TrainingSettings;
  serving?: ServingSettings;
}

/** `llmOps.environments`. @public */
export type EnvironmentsSettings = Partial<
  Record<SpecEnvironment, EnvironmentSettings>
>;

/** A DNS-1123 subdomain, as Kubernetes object names are. */
const objectName = z
  .string()
  .max(253)
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    'must be a Kubernetes object name (lower case letters, digits, "-" and ".")',
  );
const secretKey = z
  .string()
  .max(253)
  .regex(
    /^[-._a-zA-Z0-9]+$/,
    'must be a Secret key (letters, digits, "-", "_" and ".")',
  );
const millicores = (v: number) =>
  Math.abs(v * 1000 - Math.round(v * 1000)) < 1e-6;

export const resourceShareSchema = z
  .object({
    cpu: z
      .number()
      .positive()
      .finite()
      .refine(millicores, 'must be in steps of 0.001'),
    memoryGb: z.number().int().positive(),
  })
  .strict();

export const trainingSettingsSchema = z
  .object({
    serviceAccountName: objectName,
    activeDeadlineSeconds: z.number().int().positive(),
    resourcesPerGpu: resourceShareSchema,
    resourcesPerGpuByType: z.record(z.string(), resourceShareSchema),
    command: z.array(z.string().min(1)).min(1),
  })
  .partial()
  .strict();

export const servingSettingsSchema = z
  .object({
    serviceAccountName: objectName,
    deploymentMode: z.enum(KSERVE_DEPLOYMENT_MODES),
    secrets: z
      .object({
        hfToken: z.object({ name: objectName, key: secretKey }).strict(),
        storage: z.object({ name: objectName }).strict(),
      })
      .partial()
      .strict(),
    resourcesPerGpu: resourceShareSchema,
    resourcesPerGpuByFamily: z.record(z.string(), resourceShareSchema),
    rayService: z
      .object({
        headResources: resourceShareSchema,
        incrementalUpgrade: z
          .object({
            gatewayClassName: objectName,
            stepSizePercent: z.number().int().min(1).max(100),
            intervalSeconds: z.number().int().positive(),
            maxSurgePercent: z.number().int().min(1).max(100).optional(),
          })
          .strict(),
      })
      .partial()
      .strict(),
  })
  .partial()
  .strict();

/**
 * `llmOps.environments`: unknown keys of an environment are left to the
 * settings other parts of the portal read there (cluster, namespace).
 */
export const environmentsSchema = z.partialRecord(
  z.enum(SPEC_ENVIRONMENTS),
  z
    .object({
      training: trainingSettingsSchema,
      serving: servingSettingsSchema,
    })
    .partial(),
);

/** A `resources.gpu_type` name of `llmOps.gpuTypes`. */
export const gpuTypesSchema = z.record(
  z
    .string()
    .regex(
      /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/,
      'GPU type names are lower case letters, digits, "-" and "."',
    ),
  z
    .object({
      products: z
        .array(
          z
            .string()
            .max(63)
            .regex(
              /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/,
              'must be an nvidia.com/gpu.product label value',
            ),
        )
        .min(1),
    })
    .strict(),
);

/**
 * The platform settings a conversion reads, as `readSpecsConfig` returns
 * them; the converters resolve them for their environment.
 *
 * @public
 */
export interface PlatformSettings {
  training?: TrainingSettings;
  serving?: ServingSettings;
  environments?: EnvironmentsSettings;
  environment?: SpecEnvironment;
}

/**
 * The training and serving settings of `environment`: its own keys over the
 * global ones (maps such as `secrets` merged key by key).
 *
 * @public
 */
export function settingsForEnvironment(settings: PlatformSettings): {
  training: TrainingSettings;
  serving: ServingSettings;
} {
  const env = settings.environment
    ? settings.environments?.[settings.environment] ?? {}
    : {};
  const training = { ...settings.training, ...env.training };
  const serving = { ...settings.serving, ...env.serving };
  const globalServing = settings.serving ?? {};
  const envServing = env.serving ?? {};
  if (globalServing.secrets || envServing.secrets) {
    serving.secrets = { ...globalServing.secrets, ...envServing.secrets };
  }
  if (globalServing.rayService || envServing.rayService) {
    serving.rayService = {
      ...globalServing.rayService,
      ...envServing.rayService,
    };
  }
  for (const key of ['resourcesPerGpuByFamily'] as const) {
    if (globalServing[key] || envServing[key]) {
      serving[key] = { ...globalServing[key], ...envServing[key] };
    }
  }
  const globalTraining = settings.training ?? {};
  const envTraining = env.training ?? {};
  if (
    globalTraining.resourcesPerGpuByType ||
    envTraining.resourcesPerGpuByType
  ) {
    training.resourcesPerGpuByType = {
      ...globalTraining.resourcesPerGpuByType,
      ...envTraining.resourcesPerGpuByType,
    };
  }
  return { training, serving };
}

/**
 * The defaults of settings the config leaves out. The per-GPU shares fit
 * the smallest GPU machine modelled in the test cluster (EC2 g6.xlarge: one
 * L4, 3.92 allocatable CPUs, 14 GiB), so a one-GPU pod schedules anywhere;
 * larger machines want larger shares in config.
 *
 * @public
 */
export const PLATFORM_DEFAULTS = {
  /** Seven days. */
  activeDeadlineSeconds: 7 * 24 * 3600,
  trainingResourcesPerGpu: { cpu: 3, memoryGb: 12 },
  servingResourcesPerGpu: { cpu: 3, memoryGb: 12 },
  rayHeadResources: { cpu: 2, memoryGb: 8 },
  deploymentMode: 'RawDeployment' as KServeDeploymentMode,
} as const;
