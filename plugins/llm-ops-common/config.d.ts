/**
 * The platform settings the converters apply to what the portal generates,
 * read by `readSpecsConfig`. Every key is optional: without any of them
 * the manifests still run, with the defaults below. (`llmOps.modelFamilies`,
 * `images`, `gpuAvailable` and `environment` are declared by
 * `@llmops/plugin-llm-ops-backend`.)
 */
export interface Config {
  llmOps?: {
    /**
     * GPU types a TrainJobSpec's `resources.gpu_type` may name, beside the
     * built-in ones (nvidia-t4, nvidia-a10g, nvidia-l4, nvidia-l40s,
     * nvidia-a100-40gb, nvidia-a100-80gb, nvidia-h100-80gb, nvidia-h100-nvl,
     * nvidia-h200-141gb), or replacing one of them. Keys are lower case
     * letters, digits, "-" and ".".
     */
    gpuTypes?: {
      [gpuType: string]: {
        /**
         * The `nvidia.com/gpu.product` values of the type's nodes, as GPU
         * Feature Discovery writes them (`kubectl get nodes -L
         * nvidia.com/gpu.product`), such as NVIDIA-B200.
         */
        products: string[];
      };
    };

    /** Training settings; `environments.<env>.training` overrides them key by key. */
    training?: LlmOpsTrainingSettings;

    /** Serving settings; `environments.<env>.serving` overrides them key by key. */
    serving?: LlmOpsServingSettings;

    /**
     * Settings per environment (the `environment` of a training job or a
     * deployment). Other keys of an environment are left to the parts of
     * the portal that read them.
     */
    environments?: {
      [environment: string]: {
        training?: LlmOpsTrainingSettings;
        serving?: LlmOpsServingSettings;
      };
    };
  };
}

/** CPU and memory per GPU: a pod gets this times its GPUs (one GPU's share without GPUs). */
interface LlmOpsResourceShare {
  /** CPU cores, in steps of 0.001. */
  cpu: number;
  /** Memory, GiB. */
  memoryGb: number;
}

/** A key of a Kubernetes Secret; manifests reference it, they never hold the value. */
interface LlmOpsSecretKeyRef {
  /** The Secret's name, in the namespace the pods run in. */
  name: string;
  /** The key within the Secret. */
  key: string;
}

interface LlmOpsTrainingSettings {
  /** The Argo Workflow's `spec.serviceAccountName`. Default: the namespace's default. */
  serviceAccountName?: string;
  /**
   * The Workflow's `activeDeadlineSeconds` when a spec has no
   * `max_runtime_hours`. Default 604800 (seven days).
   */
  activeDeadlineSeconds?: number;
  /**
   * CPU and memory per GPU of a training node whose spec has no
   * `resources.cpus` / `memory_gb`; requests equal limits. Default
   * 3 CPUs and 12 GiB, which fit a one-GPU EC2 g6.xlarge (L4).
   */
  resourcesPerGpu?: LlmOpsResourceShare;
  /** The same per `resources.gpu_type`, such as nvidia-h100-80gb. */
  resourcesPerGpuByType?: { [gpuType: string]: LlmOpsResourceShare };
  /**
   * The training images' entrypoint, written as the training container's
   * `command` (the hyperparameters stay its args). Without it, Argo's
   * emissary executor looks the entrypoint up in the image registry (or in
   * the workflow-controller-configmap's `images` index), which fails where
   * the controller cannot reach the registry.
   */
  command?: string[];
}

interface LlmOpsServingSettings {
  /** The serving pods' `serviceAccountName` (KServe predictor, Ray head and workers). */
  serviceAccountName?: string;
  /**
   * KServe's `serving.kserve.io/deploymentMode`, pinned on every
   * InferenceService (KServe v0.15 names). RawDeployment (the default,
   * needs no Knative) takes rolling and recreate rollouts; Serverless
   * (Knative) takes canary, blue-green and rolling. KServe refuses to
   * change the mode of an existing InferenceService.
   */
  deploymentMode?: 'RawDeployment' | 'Serverless';
  secrets?: {
    /** `HF_TOKEN` of the serving containers, for gated Hugging Face models. */
    hfToken?: LlmOpsSecretKeyRef;
    /**
     * The Secret KServe's storage initializer downloads models with
     * (`serving.kserve.io/storageSecretName`): S3 keys, or `HF_TOKEN` for
     * `hf://` models, as KServe expects them.
     */
    storage?: {
      /** The Secret's name. */
      name: string;
    };
  };
  /**
   * CPU and memory per GPU of a replica (KServe predictor, Ray worker)
   * whose spec has no `resources.cpus` / `memory_gb`; requests equal
   * limits. Default 3 CPUs and 12 GiB (KServe's own default would be 1 CPU
   * and 2 GiB).
   */
  resourcesPerGpu?: LlmOpsResourceShare;
  /** The same per `model_family`, such as llama. */
  resourcesPerGpuByFamily?: { [family: string]: LlmOpsResourceShare };
  rayService?: {
    /** The Ray head's CPU and memory. Default 2 CPUs and 8 GiB. */
    headResources?: LlmOpsResourceShare;
    /**
     * KubeRay's NewClusterWithIncrementalUpgrade instead of NewCluster.
     * Set it only where the KubeRay operator runs with
     * `--feature-gates=RayServiceIncrementalUpgrade=true` (alpha, off by
     * default in v1.5) and the Gateway API with this GatewayClass is
     * installed: without the gate KubeRay accepts the type but upgrades
     * without a new cluster.
     */
    incrementalUpgrade?: {
      /** The GatewayClass KubeRay's Gateway uses. */
      gatewayClassName: string;
      /** Traffic moved to the new cluster per step, 1 to 100. */
      stepSizePercent: number;
      /** Seconds between steps. */
      intervalSeconds: number;
      /** Capacity the new cluster scales up by per step, 1 to 100. Default 100. */
      maxSurgePercent?: number;
    };
  };
}
