import type { ImageOverrides, ResolvedModel, SpecEnvironment } from '../specs';

/**
 * The platform settings a conversion depends on; `readSpecsConfig` gives
 * them from app-config.
 *
 * @public
 */
export interface ConversionOptions {
  images?: ImageOverrides;
  environment?: SpecEnvironment;
  /** `llmOps.gpuAvailable`; false selects cpu images and drops GPU requests. */
  gpuAvailable?: boolean;
  /** The namespace of generated Kubernetes manifests. */
  namespace?: string;
}

/**
 * Conversion options of a DeploymentSpec, which also needs its model.
 *
 * @public
 */
export interface DeploymentConversionOptions extends ConversionOptions {
  /** The resolved `model_ref`; its `source` becomes the storage URI. */
  model: Pick<ResolvedModel, 'source'>;
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
  env?: Array<{ name: string; value: string }>;
  ports?: Array<{ name?: string; containerPort: number; protocol?: string }>;
  readinessProbe?: { tcpSocket: { port: number | string } };
  resources?: {
    requests?: Record<string, string>;
    limits?: Record<string, string>;
  };
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
      containerConcurrency: number;
      canaryTrafficPercent: number;
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
    upgradeStrategy: { type: string };
    /** The Ray Serve config, as YAML. */
    serveConfigV2: string;
    rayClusterConfig: {
      headGroupSpec: {
        rayStartParams: Record<string, string>;
        template: { spec: { containers: ManifestContainer[] } };
      };
      workerGroupSpecs: Array<{
        groupName: string;
        replicas: number;
        minReplicas: number;
        maxReplicas: number;
        rayStartParams: Record<string, string>;
        template: {
          spec: ManifestScheduling & { containers: ManifestContainer[] };
        };
      }>;
    };
  };
}
