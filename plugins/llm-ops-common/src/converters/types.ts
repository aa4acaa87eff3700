import type {
  EnvironmentsSettings,
  GpuTypeTable,
  ImageOverrides,
  ResolvedModel,
  ServingSettings,
  SpecEnvironment,
  TrainingSettings,
} from '../specs';

/**
 * The platform settings a conversion depends on; `readSpecsConfig` gives
 * them from app-config, so its result can be spread in. Every setting has
 * a default: a conversion with no options is a valid one.
 *
 * @public
 */
export interface ConversionOptions {
  images?: ImageOverrides;
  /**
   * The environment deployed to: selects image overrides and the
   * `environments.<env>` settings (service accounts, secrets, KServe's
   * deployment mode). Pass the job's or deployment's own environment.
   */
  environment?: SpecEnvironment;
  /** `llmOps.gpuAvailable`; false selects cpu images and drops GPU requests. */
  gpuAvailable?: boolean;
  /** The namespace of generated Kubernetes manifests. */
  namespace?: string;
  /** `llmOps.gpuTypes`, GPU types beside the built-in ones. */
  gpuTypes?: GpuTypeTable;
  /** `llmOps.training`. */
  training?: TrainingSettings;
  /** `llmOps.serving`. */
  serving?: ServingSettings;
  /** `llmOps.environments`. */
  environments?: EnvironmentsSettings;
}

/**
 * Conversion options of a TrainJobSpec to an Argo Workflow.
 *
 * @public
 */
export interface TrainConversionOptions extends ConversionOptions {
  /**
   * The portal's job id. With it the Workflow has a fixed name,
   * `trainJobWorkflowName(jobId)`, and the `llmops.dev/job-id`
   * annotation, so that a resubmission of the job meets its Workflow
   * (409) instead of starting a second one; without it, `generateName`
   * from `output.artifact_name`.
   */
  jobId?: string;
}

/**
 * Conversion options of a DeploymentSpec, which also needs its model.
 *
 * @public
 */
export interface DeploymentConversionOptions extends ConversionOptions {
  /** The resolved `model_ref`; its `source` is served unless `storageUri` is given. */
  model: Pick<ResolvedModel, 'source'>;
  /**
   * Where the weights are downloaded from, when `model.source` is not a
   * URI the serving backend downloads: for `mlflow://models/<name>/<version>`
   * the artifact location of that registered version (as MLflow's
   * `GET /api/2.0/mlflow/model-versions/get-download-uri` gives it, such as
   * `s3://mlflow/1/<run>/artifacts/model`). Required for an `mlflow://`
   * source on KServe, whose storage initializer accepts gs, s3, pvc, file,
   * http(s), hdfs, webhdfs, oci and hf URIs.
   */
  storageUri?: string;
  /**
   * The manifest name; defaults to the name in `model_ref`. Pass the
   * Deployment's own name so that a new model version updates the same
   * service, which is what canary and blue-green rollouts roll.
   */
  name?: string;
}

/**
 * Kubernetes object metadata, as the converters write it.
 *
 * @public
 */
export interface ManifestMetadata {
  name?: string;
  generateName?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/**
 * A Kubernetes container, as the converters write it.
 *
 * @public
 */
export interface ManifestContainer {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: ManifestEnvVar[];
  volumeMounts?: Array<{ name: string; mountPath: string }>;
  ports?: Array<{ name?: string; containerPort: number; protocol?: string }>;
  readinessProbe?: { tcpSocket: { port: number | string } };
  resources?: {
    requests?: Record<string, string>;
    limits?: Record<string, string>;
  };
}

/**
 * A container's environment variable: a value, or a Secret's key.
 *
 * @public
 */
export type ManifestEnvVar =
  | { name: string; value: string }
  | {
      name: string;
      valueFrom: { secretKeyRef: { name: string; key: string } };
    };

/**
 * A pod volume, as the converters write it: `/dev/shm` in memory.
 *
 * @public
 */
export interface ManifestVolume {
  name: string;
  emptyDir: { medium: 'Memory'; sizeLimit: string };
}

/**
 * Pod scheduling fields, as the converters write them.
 *
 * @public
 */
export interface ManifestScheduling {
  nodeSelector?: Record<string, string>;
  affinity?: {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: Array<{
          matchExpressions: Array<{
            key: string;
            operator: string;
            values: string[];
          }>;
        }>;
      };
      preferredDuringSchedulingIgnoredDuringExecution?: Array<{
        weight: number;
        preference: {
          matchExpressions: Array<{
            key: string;
            operator: string;
            values: string[];
          }>;
        };
      }>;
    };
  };
  tolerations?: Array<{ key: string; operator: string; effect: string }>;
}

/**
 * An MLflow run to create: its experiment, run name, parameters and tags.
 *
 * @public
 */
export interface MlflowRun {
  experiment_name: string;
  run_name: string;
  params: Record<string, string>;
  tags: Record<string, string>;
}

/**
 * An Argo Workflow (`argoproj.io/v1alpha1`).
 *
 * @public
 */
export interface ArgoWorkflow {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'Workflow';
  metadata: ManifestMetadata;
  spec: {
    entrypoint: string;
    serviceAccountName?: string;
    activeDeadlineSeconds: number;
    volumes?: ManifestVolume[];
    templates: Array<
      ManifestScheduling & {
        name: string;
        daemon?: boolean;
        inputs?: { parameters: Array<{ name: string }> };
        dag?: {
          tasks: Array<{
            name: string;
            template: string;
            depends?: string;
            withSequence?: { count: string };
            arguments?: {
              parameters: Array<{ name: string; value: string }>;
            };
          }>;
        };
        container?: ManifestContainer;
      }
    >;
  };
}

/**
 * A KServe InferenceService (`serving.kserve.io/v1beta1`).
 *
 * @public
 */
export interface InferenceService {
  apiVersion: 'serving.kserve.io/v1beta1';
  kind: 'InferenceService';
  metadata: ManifestMetadata;
  spec: {
    predictor: ManifestScheduling & {
      serviceAccountName?: string;
      /** Serverless only: Knative's hard concurrency limit. */
      containerConcurrency?: number;
      /** Serverless only: the new revision's share, for canary and blue-green. */
      canaryTrafficPercent?: number;
      /** RawDeployment only: how the predictor's Deployment replaces its pods. */
      deploymentStrategy?:
        | {
            type: 'RollingUpdate';
            rollingUpdate: { maxUnavailable: number; maxSurge: number };
          }
        | { type: 'Recreate' };
      volumes?: ManifestVolume[];
      model: Omit<ManifestContainer, 'name'> & {
        modelFormat: { name: string };
        storageUri: string;
      };
    };
  };
}

/**
 * A KubeRay RayService (`ray.io/v1`).
 *
 * @public
 */
export interface RayService {
  apiVersion: 'ray.io/v1';
  kind: 'RayService';
  metadata: ManifestMetadata;
  spec: {
    upgradeStrategy: {
      type: 'NewCluster' | 'NewClusterWithIncrementalUpgrade';
      clusterUpgradeOptions?: {
        gatewayClassName: string;
        stepSizePercent: number;
        intervalSeconds: number;
        maxSurgePercent?: number;
      };
    };
    /** The Ray Serve config, as YAML. */
    serveConfigV2: string;
    rayClusterConfig: {
      /** The Ray autoscaler, which KubeRay's incremental upgrade needs. */
      enableInTreeAutoscaling?: boolean;
      headGroupSpec: {
        rayStartParams: Record<string, string>;
        template: {
          spec: {
            serviceAccountName?: string;
            containers: ManifestContainer[];
          };
        };
      };
      workerGroupSpecs: Array<{
        groupName: string;
        replicas: number;
        minReplicas: number;
        maxReplicas: number;
        rayStartParams: Record<string, string>;
        template: {
          spec: ManifestScheduling & {
            serviceAccountName?: string;
            containers: ManifestContainer[];
          };
        };
      }>;
    };
  };
}
