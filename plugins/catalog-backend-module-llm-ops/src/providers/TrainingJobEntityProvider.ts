import {
  ANNOTATION_TRAINING_JOB_ID,
  JOB_TYPES,
  LLM_OPS_API_VERSION,
  TrainJobSpec,
  TrainingJob,
  TrainingJobEntity,
  TrainingJobPage,
  trainingJobEntityValidator,
} from '@llmops/plugin-llm-ops-common';
import { describeInvalid, normalizeRef, toEntityName } from './entityName';
import {
  LlmOpsEntityProvider,
  LlmOpsEntityProviderOptions,
} from './LlmOpsEntityProvider';
import type { ProviderPartition } from './types';

/** How the provider reads the portal's jobs: the `/llm-ops/v1` list, newest first. @public */
export interface TrainingJobLister {
  listTrainingJobs(query: {
    cursor?: string;
    limit?: number;
  }): Promise<TrainingJobPage>;
}

/** @public */
export interface TrainingJobEntityProviderOptions
  extends LlmOpsEntityProviderOptions {
  jobs: TrainingJobLister;
  /** The LLM Ops API's base URL, for the `managed-by-*` annotations. */
  apiBaseUrl: string;
  /** The app's base URL, for each entity's link to its job page. */
  appBaseUrl: string;
  /** The newest jobs that become entities; default 500. */
  maxJobs?: number;
  /**
   * The Model entity of each MLflow registered model name that has one
   * (the `llmops.dev/mlflow-model` annotation); a name without one is
   * named as the MLflow provider would name its entity.
   */
  modelsOfRegisteredNames?: (names: string[]) => Promise<Map<string, string>>;
}

/** Statuses of a job that never ran: no lineage to draw. */
const NEVER_RAN = ['non_compliant'];

/**
 * `TrainingJob` entities for the portal's own training jobs, the lineage
 * node between the dataset version a job read and the model versions it
 * registered (`tracking.outputModelVersions`, found through the
 * `llmops.job_id` tag contract). It reads the LLM Ops API, newest jobs
 * first, up to `maxJobs`; the module also refreshes it when a job's status
 * changes (the `llm-ops.training-job.status-changed` event).
 *
 * @public
 */
export class TrainingJobEntityProvider extends LlmOpsEntityProvider {
  readonly #options: TrainingJobEntityProviderOptions;

  constructor(options: TrainingJobEntityProviderOptions) {
    super('llm-ops-training-jobs', options);
    this.#options = options;
  }

  protected locationTarget(): string {
    return `${this.#options.apiBaseUrl.replace(/\/+$/, '')}/v1/training-jobs`;
  }

  protected async read(signal: AbortSignal): Promise<ProviderPartition[]> {
    const max = this.#options.maxJobs ?? 500;
    const jobs: TrainingJob[] = [];
    let cursor: string | undefined;
    let read = 0;
    do {
      signal.throwIfAborted();
      const page = await this.#options.jobs.listTrainingJobs({
        cursor,
        limit: Math.min(200, max - read),
      });
      for (const job of page.items) {
        if (++read > max) break;
        jobs.push(job);
      }
      cursor = page.nextCursor;
    } while (cursor && read < max);
    const names = [
      ...new Set(
        jobs.flatMap(
          j => j.tracking?.outputModelVersions?.map(v => v.name) ?? [],
        ),
      ),
    ];
    const models =
      names.length && this.#options.modelsOfRegisteredNames
        ? await this.#options.modelsOfRegisteredNames(names)
        : new Map<string, string>();
    const modelOf = (name: string) =>
      models.get(name) ?? `model:default/${toEntityName(name)}`;
    const entities = jobs
      .map(job => this.#toEntity(job, modelOf))
      .filter((e): e is TrainingJobEntity => !!e);
    return [{ partition: 'jobs', entities }];
  }

  #toEntity(
    job: TrainingJob,
    modelOf: (registeredName: string) => string,
  ): TrainingJobEntity | undefined {
    if (NEVER_RAN.includes(job.status)) return undefined;
    const spec = job.spec as Partial<TrainJobSpec>;
    const item = `training job ${job.id}`;
    try {
      if (!(JOB_TYPES as readonly string[]).includes(job.job_type)) {
        throw new Error(`job type '${job.job_type}' is unknown`);
      }
      const tracking = job.tracking;
      const artifact = spec.output?.artifact_name;
      const entity: TrainingJobEntity = {
        apiVersion: LLM_OPS_API_VERSION,
        kind: 'TrainingJob',
        metadata: {
          name: toEntityName(job.id),
          title: `${artifact ?? job.job_type} (job ${job.id.slice(0, 8)})`,
          description: `${job.job_type} of ${
            spec.base_model_ref ?? `a new ${job.model_family} model`
          } on ${spec.dataset_ref?.name}@${spec.dataset_ref?.version}`,
          annotations: { [ANNOTATION_TRAINING_JOB_ID]: job.id },
          tags: [job.job_type.toLowerCase().replace(/_/g, '-')],
          links: [
            {
              url: `${this.#options.appBaseUrl.replace(
                /\/+$/,
                '',
              )}/llm-ops/training-jobs/${encodeURIComponent(job.id)}`,
              title: 'Training job',
            },
          ],
        },
        spec: {
          owner: job.owner,
          status: job.status,
          jobType: job.job_type as TrainingJobEntity['spec']['jobType'],
          modelFamily: job.model_family,
          ...(spec.base_model_ref
            ? { baseModel: normalizeRef(spec.base_model_ref, 'model') }
            : {}),
          trainedOn: spec.dataset_ref
            ? [
                {
                  dataset: normalizeRef(spec.dataset_ref.name, 'dataset'),
                  version: spec.dataset_ref.version,
                },
              ]
            : [],
          ...(tracking?.outputModelVersions?.length
            ? {
                produced: tracking.outputModelVersions.map(v => ({
                  model: modelOf(v.name),
                  version: v.version,
                })),
              }
            : {}),
          ...(tracking?.gpuHours !== undefined
            ? { gpuHours: tracking.gpuHours }
            : {}),
          ...(tracking?.startedAt ? { startedAt: tracking.startedAt } : {}),
          ...(tracking?.finishedAt ? { finishedAt: tracking.finishedAt } : {}),
        },
      };
      trainingJobEntityValidator(entity);
      return entity;
    } catch (error) {
      this.skip(item, describeInvalid(error));
      return undefined;
    }
  }
}
