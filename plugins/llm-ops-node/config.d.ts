/**
 * The tools the LLM Ops adapters reach, assembled once per backend
 * (`llm-ops.tools`) for the LLM Ops API and the catalog's entity providers.
 * A Kubernetes-based tool names a cluster of `kubernetes.clusterLocatorMethods`
 * (its `url`, `serviceAccountToken` and `caData`, `caFile` or `skipTLSVerify`).
 */
export interface Config {
  llmOps?: {
    /** Each tool's circuit breaker. */
    circuitBreaker?: {
      /** Consecutive failures that open the circuit. Default 5. */
      failureThreshold?: number;
      /** How long the circuit stays open. Default 30 s. */
      cooldownMs?: number;
      /** Timeout of one tool call. Default 15 s. */
      callTimeoutMs?: number;
    };
    /** The tools. A tool with no block is reported as not configured. */
    integrations?: {
      mlflow?: {
        /** Switch the tool off without removing its config. Default true. */
        enabled?: boolean;
        /** Why it is switched off: shown wherever the tool is needed. */
        disabledReason?: string;
        /** The tracking server, e.g. http://mlflow:5000. */
        baseUrl: string;
        /** @visibility secret */
        token?: string;
        username?: string;
        /** @visibility secret */
        password?: string;
        timeoutMs?: number;
        /** Retries of idempotent calls, with backoff. Default 2. */
        retries?: number;
      };
      argo?: {
        enabled?: boolean;
        disabledReason?: string;
        /**
         * Submit through argo-server's REST API (`server`, the default) or as
         * Workflow custom resources through the Kubernetes API (`kubernetes`).
         */
        mode?: 'server' | 'kubernetes';
        /** argo-server, e.g. https://argo:2746 (server mode). */
        baseUrl?: string;
        /** A cluster name from kubernetes.clusterLocatorMethods (kubernetes mode). */
        cluster?: string;
        /** @visibility secret */
        token?: string;
        namespace?: string;
        timeoutMs?: number;
        /** Retries of idempotent calls, with backoff. Default 2. */
        retries?: number;
      };
      kserve?: {
        enabled?: boolean;
        disabledReason?: string;
        /** A cluster name from kubernetes.clusterLocatorMethods. */
        cluster: string;
        namespace?: string;
        timeoutMs?: number;
        /** Retries of idempotent calls, with backoff. Default 2. */
        retries?: number;
      };
      rayserve?: {
        enabled?: boolean;
        disabledReason?: string;
        /** A cluster name from kubernetes.clusterLocatorMethods. */
        cluster: string;
        namespace?: string;
        timeoutMs?: number;
        /** Retries of idempotent calls, with backoff. Default 2. */
        retries?: number;
      };
      huggingface?: {
        enabled?: boolean;
        disabledReason?: string;
        /** The Hub or a mirror. Defaults to https://huggingface.co. */
        endpoint?: string;
        /** @visibility secret */
        token?: string;
        timeoutMs?: number;
        /** Retries of idempotent calls, with backoff. Default 2. */
        retries?: number;
      };
      dvc?: {
        enabled?: boolean;
        disabledReason?: string;
        /** Git repositories whose datasets DVC manages. */
        repos: Array<{ name: string; url: string }>;
      };
    };
  };
}
