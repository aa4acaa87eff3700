export interface Config {
  /** Configuration of the LLM Ops portal. */
  llmOps?: {
    /**
     * The model families a spec may name. Defaults to llama, mistral,
     * mixtral, gemma, qwen, phi, falcon, bert and roberta.
     * @visibility frontend
     */
    modelFamilies?: string[];
    /** Whether the platform has GPUs; false selects cpu images. */
    gpuAvailable?: boolean;
    /** The environment this portal runs in; selects image overrides. */
    environment?: 'dev' | 'stg' | 'prod';
    /** Image mapping overrides, as a whole and per environment. */
    images?: {
      train?: { [jobType: string]: { gpu?: string; cpu?: string } };
      serve?: { [serveTarget: string]: { gpu?: string; cpu?: string } };
      environments?: {
        [environment: string]: {
          train?: { [jobType: string]: { gpu?: string; cpu?: string } };
          serve?: { [serveTarget: string]: { gpu?: string; cpu?: string } };
        };
      };
    };
    /** The tools. A tool with no block is reported as not configured. */
    integrations?: {
      mlflow?: {
        /** Switch the tool off without removing its config. Default true. */
        enabled?: boolean;
        /** The tracking server, e.g. http://mlflow:5000. */
        baseUrl: string;
        /** @visibility secret */
        token?: string;
        username?: string;
        /** @visibility secret */
        password?: string;
        timeoutMs?: number;
      };
      argo?: {
        enabled?: boolean;
        /** argo-server, e.g. https://argo:2746. */
        baseUrl: string;
        /** @visibility secret */
        token?: string;
        namespace?: string;
        timeoutMs?: number;
      };
      kserve?: {
        enabled?: boolean;
        /** A cluster name from kubernetes.clusterLocatorMethods. */
        cluster: string;
        namespace?: string;
        timeoutMs?: number;
      };
      rayserve?: {
        enabled?: boolean;
        /** A cluster name from kubernetes.clusterLocatorMethods. */
        cluster: string;
        namespace?: string;
        timeoutMs?: number;
      };
      huggingface?: {
        enabled?: boolean;
        /** The Hub or a mirror. Defaults to https://huggingface.co. */
        endpoint?: string;
        /** @visibility secret */
        token?: string;
        timeoutMs?: number;
      };
      dvc?: {
        enabled?: boolean;
        /** Git repositories whose datasets DVC manages. */
        repos: Array<{ name: string; url: string }>;
      };
    };
  };
}
