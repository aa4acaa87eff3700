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
    /** The durable delivery (retry) queue. */
    queue?: {
      /** Attempts before an item is marked failed. Default 10. */
      maxAttempts?: number;
      /** Backoff: base·2^(attempt-1), jittered, at most maxDelayMs. */
      baseDelayMs?: number;
      maxDelayMs?: number;
      /** How long one instance holds a claimed item. Default 60 s. */
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
     * The tools' own UIs, embedded in entity pages through the backend's
     * same-origin proxy at /api/llm-ops/ui/<tool>/. MLflow and Argo are
     * served from their integration's baseUrl unless `embed` is false;
     * other tools (such as the Ray dashboard) need a `url`.
     */
    ui?: {
      [tool: string]: {
        /** Frame the UI through the proxy (default), or only link out. */
        embed?: boolean;
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
