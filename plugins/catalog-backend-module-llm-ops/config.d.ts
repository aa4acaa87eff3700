import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /**
       * One TrainingJob entity per training job of the portal (read from
       * the LLM Ops API of the same deployment): the lineage node between
       * the dataset version it read and the model versions it registered.
       * Also refreshed whenever a job changes (the events service).
       */
      llmOpsTrainingJobs?: {
        /** How often to read every job again. */
        schedule: SchedulerServiceTaskScheduleDefinitionConfig;
        /** The newest jobs that become entities. Default 500. */
        maxJobs?: number;
      };
      /**
       * One Model entity per MLflow registered model (the tool is
       * `llmOps.integrations.mlflow`).
       */
      llmOpsMlflow?: {
        /** How often to read the registry. */
        schedule: SchedulerServiceTaskScheduleDefinitionConfig;
        /** The owner of a model without an `llmops.owner` tag. */
        defaultOwner?: string;
        /** The alias whose version the entity describes. Default `champion`. */
        currentAlias?: string;
        /** Registered models per page. Default 100. */
        pageSize?: number;
      };
      /**
       * Base Model entities for Hugging Face Hub repositories (the tool is
       * `llmOps.integrations.huggingface`): the listed `repos`, and those
       * that the `search` finds. List at least one of the two.
       */
      llmOpsHuggingFace?: {
        schedule: SchedulerServiceTaskScheduleDefinitionConfig;
        /**
         * `org/name`, or an object naming the entity and its owner. A repo
         * listed here and found by a search takes its settings from here.
         */
        repos?: Array<
          | string
          | {
              repo: string;
              name?: string;
              title?: string;
              revision?: string;
              owner?: string;
              lifecycle?: string;
            }
        >;
        /**
         * One search of the Hub's models (`GET /api/models`), or a list of
         * them. Each model found is read as a listed repo (its `main`
         * revision, named after the repo's name), so its family must be in
         * `llmOps.modelFamilies`. A search that fails keeps the entities of
         * what it found last time.
         */
        search?:
          | {
              /** The organization or user that owns the models, such as `meta-llama`. */
              author?: string;
              /** A substring of the repo id (case-insensitive), such as `Llama-3`. */
              search?: string;
              /**
               * Hub tags that the models must all have, such as
               * `text-generation`, `transformers` or `license:apache-2.0`.
               */
              filter?: string | string[];
              /**
               * At most this many models (the first ones in the Hub's
               * order), over as many pages as needed. Default 100, at most
               * 1000.
               */
              limit?: number;
              /** The owner of the models found; default `defaultOwner`. */
              owner?: string;
              /** The lifecycle of the models found; default `defaultLifecycle`. */
              lifecycle?: string;
            }
          | Array<{
              /** The organization or user that owns the models, such as `meta-llama`. */
              author?: string;
              /** A substring of the repo id (case-insensitive), such as `Llama-3`. */
              search?: string;
              /** Hub tags that the models must all have, such as `text-generation`. */
              filter?: string | string[];
              /** At most this many models. Default 100, at most 1000. */
              limit?: number;
              /** The owner of the models found; default `defaultOwner`. */
              owner?: string;
              /** The lifecycle of the models found; default `defaultLifecycle`. */
              lifecycle?: string;
            }>;
        defaultOwner: string;
        /** Default `production`. */
        defaultLifecycle?: string;
        /** Extra `config.json` model_type → family mappings. */
        familyMapping?: { [modelType: string]: string };
      };
      /**
       * Dataset entities for the `.dvc` files of the repositories in
       * `llmOps.integrations.dvc.repos`.
       */
      llmOpsDvc?: {
        schedule: SchedulerServiceTaskScheduleDefinitionConfig;
        /** The first rule whose glob matches `<repo>/<data path>` gives the type. */
        datasets: Array<{
          match: string;
          type:
            | 'pretrain_corpus'
            | 'sft_pair'
            | 'rag_qa'
            | 'rlhf_pair'
            | 'embedding_pair';
          owner?: string;
          lifecycle?: string;
        }>;
        defaultOwner?: string;
        /** Default `production`. */
        defaultLifecycle?: string;
      };
      /**
       * Deployment entities for the InferenceServices and RayServices of
       * every cluster in `kubernetes.clusterLocatorMethods` (type config).
       */
      llmOpsServing?: {
        schedule: SchedulerServiceTaskScheduleDefinitionConfig;
        /** Default both. */
        backends?: Array<'kserve' | 'rayserve'>;
        /** The owner of a resource without an `llmops.dev/owner` annotation. */
        defaultOwner?: string;
        /** Per-cluster settings, by cluster name. */
        clusters?: Array<{
          name: string;
          enabled?: boolean;
          /** The environment of resources without an `llmops.dev/environment` label. */
          environment?: 'dev' | 'stg' | 'prod';
          /** Only these namespaces; default all. */
          namespaces?: string[];
        }>;
      };
    };
  };
}
