import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** Configuration of the LLM Ops portal. */
  llmOps?: {
    /**
     * The model families a spec may name. Defaults to llama, mistral,
     * mixtral, gemma, qwen, phi, falcon, bert and roberta.
     * @visibility frontend
     */
    modelFamilies?: string[];
    /**
     * The service principals (their subjects, such as `plugin:scaffolder`
     * or a static token's `subject`) that may change state: submit, cancel,
     * deploy, promote, move aliases, re-validate. Backstage's permission
     * policies do not apply to services, so by default only users may.
     */
    serviceSubjects?: string[];
    /**
     * The Model `source` prefixes that may be served (a scheme, or a scheme
     * and host, such as `s3://acme-models/`): any catalog location may
     * define a Model, and its source is what the serving tool downloads.
     * Default `hf://` and `mlflow://models/`.
     */
    modelSources?: string[];
    /** Maxima of spec values; each absent one keeps its default. */
    specLimits?: {
      /** resources.nodes. Default 512. */
      maxNodes?: number;
      /** resources.gpus per node or replica. Default 16. */
      maxGpusPerNode?: number;
      /** hyperparams.num_epochs. Default 10000. */
      maxEpochs?: number;
      /** String fields without a rule of their own. Default 256. */
      maxStringLength?: number;
      /** dataset_ref.storage_uri. Default 2048. */
      maxUriLength?: number;
    };
    /** Whether the platform has GPUs; false selects cpu images. */
    gpuAvailable?: boolean;
    /** The environment this portal runs in; selects image overrides. */
    environment?: 'dev' | 'stg' | 'prod';
    /**
     * Where each environment's deployments may go: one cluster (a name of
     * `kubernetes.clusterLocatorMethods`, which must be the serving tool's
     * `cluster`) and its namespaces, the first being the default. A
     * deployment anywhere else is refused, and two environments may not
     * share a namespace. Without it, a serving tool deploys to its own
     * `namespace` only.
     */
    environments?: {
      [environment: string]: {
        cluster: string;
        namespaces: string[];
      };
    };
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
    /** The durable delivery (retry) queue. */
    queue?: {
      /**
       * An optional cap on real calls to the tool before an item is marked
       * failed. Unset (the default): only `giveUpAfterHours` applies.
       * Refusals by an open circuit are never attempts.
       */
      maxAttempts?: number;
      /** How long after it was enqueued an item is given up. Default 24. */
      giveUpAfterHours?: number;
      /** Backoff: base·2^(attempt-1), jittered, at most maxDelayMs. */
      baseDelayMs?: number;
      maxDelayMs?: number;
      /**
       * How long one instance holds a claimed item. Default 60 s. Must be
       * more than `circuitBreaker.callTimeoutMs`; by the database's clock.
       */
      leaseMs?: number;
      batchSize?: number;
      /** Pending items beyond which submissions get 503. Default 10000. */
      maxPending?: number;
      /** How often the delivery task runs. Default every 10 s. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    /**
     * The lifecycle tracker: reads the state of every workflow and serving
     * resource the portal started, and records each transition.
     */
    lifecycle?: {
      /** Default every 15 seconds. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * How long one instance holds the orchestrator's watch before another
       * run of the task (on any instance) takes it over. Default 240.
       */
      watchSeconds?: number;
    };
    /** The re-validation of stored jobs and deployments. */
    revalidation?: {
      /** Default every hour. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    /**
     * Where the tool UI proxy is served. Without either key, the tools'
     * UIs are linked to (their `publicUrl`), never proxied: proxied pages
     * run the tool's scripts on the origin that serves them.
     */
    uiProxy?: {
      /**
       * A separate origin for the proxy, such as
       * `https://tools.portal.example.com`, routed to this backend: the
       * tools' pages then run there, apart from the portal's tokens, under a
       * short-lived host-only session cookie the backend mints per user.
       * @visibility frontend
       */
      origin?: string;
      /**
       * Frame the tools through the proxy on the portal's own origin. An
       * explicit opt-in: an XSS in a tool, or an HTML artifact, could then
       * read the user's Backstage session. Default false.
       */
      sameOriginEmbedding?: boolean;
    };
    /**
     * The tools' own UIs, embedded in entity pages through the backend's
     * proxy (see `uiProxy`). MLflow and Argo are served from their
     * integration's baseUrl unless `embed` is false; other tools (such as
     * the Ray dashboard) need a `url`. The proxy is read-only by default.
     */
    ui?: {
      [tool: string]: {
        /** Frame the UI through the proxy (default, when `uiProxy` serves it), or only link out. */
        embed?: boolean;
        /**
         * Let writes (any request but GET, HEAD and the UI's read-style
         * POSTs) through, to users allowed `llmops.toolUi.write`, with the
         * portal's credentials for the tool. Default false.
         */
        allowWrites?: boolean;
        /** More read-style POST paths below the tool's root, such as `/api/search`. */
        readPosts?: string[];
        /** The upstream timeout of one proxied request. Default 30000. */
        timeoutMs?: number;
        /** The address the backend reaches the UI at; the only proxy target. */
        url?: string;
        /**
         * The UI's address for users' browsers, for link-outs.
         * @visibility frontend
         */
        publicUrl?: string;
        /** @visibility secret */
        token?: string;
        username?: string;
        /** @visibility secret */
        password?: string;
      };
    };
  };
}
