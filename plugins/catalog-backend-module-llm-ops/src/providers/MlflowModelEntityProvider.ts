import {
  ANNOTATION_MLFLOW_MODEL,
  JOB_TYPES,
  LLM_OPS_API_VERSION,
  ModelEntity,
  modelEntityValidator,
  MLFLOW_TAGS,
} from '@llmops/plugin-llm-ops-common';
import type {
  ExperimentTracker,
  RegisteredModel,
} from '@llmops/plugin-llm-ops-node';
import { describeInvalid, normalizeRef, toEntityName } from './entityName';
import {
  LlmOpsEntityProvider,
  LlmOpsEntityProviderOptions,
} from './LlmOpsEntityProvider';
import type { ProviderPartition } from './types';

/** @public */
export interface MlflowModelEntityProviderOptions
  extends LlmOpsEntityProviderOptions {
  tracker: ExperimentTracker;
  /** The MLflow UI, for links and the location annotations. */
  baseUrl: string;
  /** The model family whitelist (`llmOps.modelFamilies`). */
  modelFamilies: readonly string[];
  /** The owner of a model without an `llmops.owner` tag. */
  defaultOwner?: string;
  /** The alias whose version the entity describes. Default `champion`. */
  currentAlias?: string;
  /** Registered models per page. Default 100. */
  pageSize?: number;
}

const int = (value: string | undefined) =>
  value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
const num = (value: string | undefined) =>
  value !== undefined && Number.isFinite(Number(value))
    ? Number(value)
    : undefined;

/**
 * One `Model` entity per MLflow registered model, listing its versions and
 * aliases in `spec.registry`. The rest of the spec (source, lineage,
 * context length) describes the current version: the one the
 * `currentAlias` alias points at, else the newest READY version.
 *
 * @public
 */
export class MlflowModelEntityProvider extends LlmOpsEntityProvider {
  readonly #options: MlflowModelEntityProviderOptions;

  constructor(options: MlflowModelEntityProviderOptions) {
    super('llm-ops-mlflow-models', options);
    this.#options = options;
  }

  protected locationTarget(): string {
    return `${this.#options.baseUrl.replace(/\/+$/, '')}/#/models`;
  }

  protected async read(signal: AbortSignal): Promise<ProviderPartition[]> {
    const entities: ModelEntity[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.#options.tracker.listRegisteredModels(
        { pageToken, maxResults: this.#options.pageSize ?? 100 },
        signal,
      );
      for (const model of page.items) {
        const entity = this.toEntity(model, await this.#runTags(model, signal));
        if (entity) entities.push(entity);
      }
      pageToken = page.nextPageToken;
    } while (pageToken);
    return [{ partition: 'mlflow', entities }];
  }

  /**
   * The tag contract's tags of the run the current version was registered
   * from: a run the portal started carries the job's lineage (job id,
   * dataset and version, base model), so that a version registered from it
   * needs no tags of its own. Empty when MLflow cannot give the run.
   */
  async #runTags(
    model: RegisteredModel,
    signal: AbortSignal,
  ): Promise<Record<string, string>> {
    const runId = this.#current(model)?.runId;
    if (!runId) return {};
    try {
      const run = await this.#options.tracker.getRun(runId, signal);
      return Object.fromEntries(
        Object.entries(run.tags).filter(([key]) => key.startsWith('llmops.')),
      );
    } catch {
      return {};
    }
  }

  /** The version the entity describes: the `currentAlias` one, else the newest READY one. */
  #current(model: RegisteredModel) {
    const alias = this.#options.currentAlias ?? 'champion';
    return (
      model.versions.find(v => v.version === model.aliases[alias]) ??
      [...model.versions]
        .reverse()
        .find(v => !v.status || v.status === 'READY') ??
      model.versions[model.versions.length - 1]
    );
  }

  /**
   * The entity of a registered model, or undefined (logged) when it cannot
   * be one; `runTags` are those of the current version's run.
   */
  toEntity(
    model: RegisteredModel,
    runTags: Record<string, string> = {},
  ): ModelEntity | undefined {
    const item = `MLflow registered model '${model.name}'`;
    if (model.versions.length === 0) {
      this.skip(item, 'it has no versions');
      return undefined;
    }
    const alias = this.#options.currentAlias ?? 'champion';
    const current = this.#current(model);
    const tags: Record<string, string> = {
      ...model.tags,
      ...runTags,
      ...current.tags,
    };
    // A version's tag wins over its run's, and the run's over the registered model's (MLFLOW_TAGS).
    const T = MLFLOW_TAGS;
    const missing = (tag: string) =>
      `tag ${tag} is missing on the model and on version ${current.version}`;

    const type = tags[T.modelType] ?? 'fine-tuned';
    const family = tags[T.modelFamily];
    if (!family) return this.#skip(item, missing(T.modelFamily));
    if (!this.#options.modelFamilies.includes(family)) {
      return this.#skip(
        item,
        `family '${family}' is not in the model family whitelist (llmOps.modelFamilies: ${this.#options.modelFamilies.join(
          ', ',
        )})`,
      );
    }
    const maxPositionEmbeddings = int(tags[T.maxPositionEmbeddings]);
    if (!maxPositionEmbeddings) {
      return this.#skip(
        item,
        tags[T.maxPositionEmbeddings]
          ? `tag ${T.maxPositionEmbeddings} '${
              tags[T.maxPositionEmbeddings]
            }' is not a positive integer`
          : missing(T.maxPositionEmbeddings),
      );
    }
    const owner = tags[T.owner] ?? this.#options.defaultOwner;
    if (!owner) {
      return this.#skip(
        item,
        `${missing(
          T.owner,
        )}, and catalog.providers.llmOpsMlflow.defaultOwner is not set`,
      );
    }
    const isChampion = model.aliases[alias] === current.version;
    const spec: ModelEntity['spec'] = {
      type: type as ModelEntity['spec']['type'],
      family,
      owner,
      lifecycle:
        tags[T.lifecycle] ?? (isChampion ? 'production' : 'experimental'),
      maxPositionEmbeddings,
      source: `mlflow://models/${encodeURIComponent(model.name)}/${
        current.version
      }`,
      registry: {
        currentVersion: current.version,
        versions: model.versions.map(v => ({
          version: v.version,
          ...(v.status ? { status: v.status } : {}),
          ...(v.runId ? { runId: v.runId } : {}),
          ...(v.source ? { source: v.source } : {}),
          ...(v.createdAt !== undefined
            ? { createdAt: new Date(v.createdAt).toISOString() }
            : {}),
        })),
        aliases: model.aliases,
      },
    };
    const parameterCount = int(tags[T.parameterCount]);
    if (parameterCount) spec.parameterCount = parameterCount;
    const minGpus = int(tags[T.minGpus]);
    const minGpuMemoryGb = num(tags[T.minGpuMemoryGb]);
    if (minGpus !== undefined || minGpuMemoryGb !== undefined) {
      spec.serving = {
        ...(minGpus !== undefined ? { minGpus } : {}),
        ...(minGpuMemoryGb !== undefined ? { minGpuMemoryGb } : {}),
      };
    }

    if (type === 'fine-tuned') {
      const jobType = tags[T.jobType];
      if (!jobType) return this.#skip(item, missing(T.jobType));
      if (!(JOB_TYPES as readonly string[]).includes(jobType)) {
        return this.#skip(
          item,
          `tag ${T.jobType} '${jobType}' is not one of ${JOB_TYPES.join(', ')}`,
        );
      }
      const baseModel = tags[T.baseModelRef];
      if (!baseModel) return this.#skip(item, missing(T.baseModelRef));
      const dataset = tags[T.datasetRef];
      const datasetVersion = tags[T.datasetVersion];
      if (!dataset) return this.#skip(item, missing(T.datasetRef));
      if (!datasetVersion) return this.#skip(item, missing(T.datasetVersion));
      const trainingJob = tags[T.jobId] ?? current.runId;
      if (!trainingJob) {
        return this.#skip(
          item,
          `${missing(T.jobId)}, and version ${current.version} has no run`,
        );
      }
      try {
        spec.jobType = jobType as ModelEntity['spec']['jobType'];
        spec.baseModel = normalizeRef(baseModel, 'model');
        spec.trainedOn = [
          {
            dataset: normalizeRef(dataset, 'dataset'),
            version: datasetVersion,
          },
        ];
        spec.trainingJob = trainingJob;
      } catch (error) {
        return this.#skip(item, describeInvalid(error));
      }
    }

    const entity: ModelEntity = {
      apiVersion: LLM_OPS_API_VERSION,
      kind: 'Model',
      metadata: {
        name: toEntityName(model.name),
        title: model.name,
        ...(model.description ? { description: model.description } : {}),
        annotations: { [ANNOTATION_MLFLOW_MODEL]: model.name },
        links: [
          {
            url: `${this.#options.baseUrl.replace(
              /\/+$/,
              '',
            )}/#/models/${encodeURIComponent(model.name)}`,
            title: 'MLflow model registry',
          },
        ],
      },
      spec,
    };
    try {
      modelEntityValidator(entity);
    } catch (error) {
      return this.#skip(item, `invalid Model: ${describeInvalid(error)}`);
    }
    return entity;
  }

  #skip(item: string, reason: string): undefined {
    this.skip(item, reason);
    return undefined;
  }
}
