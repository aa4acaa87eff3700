import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
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
       * `llmOps.integrations.huggingface`).
       */
      llmOpsHuggingFace?: {
        schedule: SchedulerServiceTaskScheduleDefinitionConfig;
        /** `org/name`, or an object naming the entity and its owner. */
        repos: Array<
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
