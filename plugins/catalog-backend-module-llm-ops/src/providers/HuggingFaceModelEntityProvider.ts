import {
  ANNOTATION_HF_REPO,
  LLM_OPS_API_VERSION,
  ModelEntity,
  modelEntityValidator,
} from '@llmops/plugin-llm-ops-common';
import type {
  HuggingFaceModelSearch,
  ModelHub,
} from '@llmops/plugin-llm-ops-node';
import { describeInvalid, toEntityName } from './entityName';
import {
  LlmOpsEntityProvider,
  LlmOpsEntityProviderOptions,
} from './LlmOpsEntityProvider';
import type { ProviderPartition } from './types';

/**
 * What the provider needs of the Hub: a repo's info and its `config.json`,
 * and a search of its models.
 *
 * @public
 */
export type HuggingFaceModelSource = Pick<
  ModelHub,
  'getModelInfo' | 'getConfig' | 'searchModels'
>;

/** One configured Hub repository. @public */
export interface HuggingFaceRepoConfig {
  /** `org/name`. */
  repo: string;
  /** The entity name; defaults to the repo's name, lower-cased. */
  name?: string;
  title?: string;
  revision?: string;
  owner?: string;
  lifecycle?: string;
}

/**
 * `config.json`'s `model_type` → the portal's family name. A type not
 * listed here is its own family (and is skipped unless whitelisted).
 *
 * @public
 */
export const HF_MODEL_TYPE_FAMILIES: Record<string, string> = {
  llama: 'llama',
  mistral: 'mistral',
  mixtral: 'mixtral',
  gemma: 'gemma',
  gemma2: 'gemma',
  gemma3: 'gemma',
  gemma3_text: 'gemma',
  qwen: 'qwen',
  qwen2: 'qwen',
  qwen2_moe: 'qwen',
  qwen3: 'qwen',
  qwen3_moe: 'qwen',
  phi: 'phi',
  phi3: 'phi',
  phimoe: 'phi',
  falcon: 'falcon',
  RefinedWeb: 'falcon',
  RefinedWebModel: 'falcon',
  bert: 'bert',
  roberta: 'roberta',
  'xlm-roberta': 'roberta',
};

/** @public */
export interface HuggingFaceModelEntityProviderOptions
  extends LlmOpsEntityProviderOptions {
  hub: HuggingFaceModelSource;
  /** The Hub or its mirror, for links and the location annotations. */
  endpoint: string;
  /** The repositories to read; their settings win over a search's. */
  repos?: HuggingFaceRepoConfig[];
  /**
   * Searches of the Hub (`GET /api/models`); each repository they find is
   * read as a configured one (by its default name), unless `repos` lists
   * it. `owner` and `lifecycle` apply to what the search finds.
   */
  search?: Array<
    HuggingFaceModelSearch & { owner?: string; lifecycle?: string }
  >;
  /** The model family whitelist (`llmOps.modelFamilies`). */
  modelFamilies: readonly string[];
  defaultOwner: string;
  /** Default `production`: configured base models are the allowed ones. */
  defaultLifecycle?: string;
  /** Extra or overriding `model_type` → family mappings. */
  familyMapping?: Record<string, string>;
}

/**
 * Base `Model` entities for a configured list of Hugging Face Hub
 * repositories, and for those that configured searches find. The family
 * comes from `config.json`'s `model_type` (see `HF_MODEL_TYPE_FAMILIES`),
 * the context length from its `max_position_embeddings`; a family outside
 * the whitelist is skipped with a log line. Each repository is read on its
 * own, so one that fails keeps its last entity. A search that fails is a
 * failed part too: the repositories it found last time are read again, so
 * their entities stay.
 *
 * @public
 */
export class HuggingFaceModelEntityProvider extends LlmOpsEntityProvider {
  readonly #options: HuggingFaceModelEntityProviderOptions;
  /** What each search found in its last answer: search part → repo ids. */
  readonly #found = new Map<string, string[]>();

  constructor(options: HuggingFaceModelEntityProviderOptions) {
    super('llm-ops-huggingface-models', options);
    this.#options = options;
  }

  protected locationTarget(): string {
    return this.#options.endpoint.replace(/\/+$/, '');
  }

  protected async read(signal: AbortSignal): Promise<ProviderPartition[]> {
    const parts: ProviderPartition[] = [];
    // Configured repos first, all of them (a repo may be listed at two
    // revisions), so that their names and settings win over a search's.
    const repos = [...(this.#options.repos ?? [])];
    const listed = new Set(repos.map(r => r.repo.toLowerCase()));
    for (const [i, query] of (this.#options.search ?? []).entries()) {
      const { owner, lifecycle, ...search } = query;
      const partition = `hf-search[${i}]:${describeSearch(search)}`;
      let found: string[];
      try {
        found = (await this.#options.hub.searchModels(search, signal)).map(
          m => m.id,
        );
        this.#found.set(partition, found);
        parts.push({ partition, entities: [] });
      } catch (error) {
        // Its entities stay: what it found last time is read again.
        found = this.#found.get(partition) ?? [];
        parts.push({ partition, error: error as Error });
      }
      for (const id of found) {
        if (!listed.has(id.toLowerCase())) {
          listed.add(id.toLowerCase());
          repos.push({ repo: id, owner, lifecycle });
        }
      }
    }
    for (const repo of repos) {
      const partition = `hf:${repo.repo}`;
      try {
        const entity = await this.#read(repo, signal);
        parts.push({ partition, entities: entity ? [entity] : [] });
      } catch (error) {
        parts.push({ partition, error: error as Error });
      }
    }
    return parts;
  }

  async #read(
    repo: HuggingFaceRepoConfig,
    signal: AbortSignal,
  ): Promise<ModelEntity | undefined> {
    const revision = repo.revision ?? 'main';
    const item = `Hugging Face repo ${repo.repo}@${revision}`;
    const info = await this.#options.hub.getModelInfo(
      repo.repo,
      signal,
      revision,
    );
    const config = await this.#options.hub.getConfig(
      repo.repo,
      signal,
      revision,
    );
    const modelType = config.family;
    if (!modelType) {
      this.skip(item, 'config.json has no model_type');
      return undefined;
    }
    const mapping = {
      ...HF_MODEL_TYPE_FAMILIES,
      ...this.#options.familyMapping,
    };
    const family = mapping[modelType] ?? modelType.toLowerCase();
    if (!this.#options.modelFamilies.includes(family)) {
      this.skip(
        item,
        `family '${family}' (config.json model_type '${modelType}') is not in the model family whitelist (llmOps.modelFamilies: ${this.#options.modelFamilies.join(
          ', ',
        )})`,
      );
      return undefined;
    }
    if (!config.maxPositionEmbeddings) {
      this.skip(item, 'config.json has no max_position_embeddings');
      return undefined;
    }
    const endpoint = this.locationTarget();
    const entity: ModelEntity = {
      apiVersion: LLM_OPS_API_VERSION,
      kind: 'Model',
      metadata: {
        name: repo.name ?? toEntityName(repo.repo.split('/').pop()!),
        title: repo.title ?? info.id,
        annotations: {
          [ANNOTATION_HF_REPO]: info.id,
          ...(info.sha ? { 'llmops.dev/hf-sha': info.sha } : {}),
        },
        links: [{ url: `${endpoint}/${info.id}`, title: 'Hugging Face Hub' }],
      },
      spec: {
        type: 'base',
        family,
        owner: repo.owner ?? this.#options.defaultOwner,
        lifecycle:
          repo.lifecycle ?? this.#options.defaultLifecycle ?? 'production',
        maxPositionEmbeddings: config.maxPositionEmbeddings,
        source: `hf://${info.id}${revision === 'main' ? '' : `@${revision}`}`,
      },
    };
    try {
      modelEntityValidator(entity);
    } catch (error) {
      this.skip(item, `invalid Model: ${describeInvalid(error)}`);
      return undefined;
    }
    return entity;
  }
}

/** A search as its query string, for log lines and health: `author=x&filter=y`. */
function describeSearch(search: HuggingFaceModelSearch): string {
  const params = new URLSearchParams();
  for (const key of ['author', 'search', 'filter', 'limit'] as const) {
    for (const value of ([] as unknown[]).concat(search[key] ?? [])) {
      params.append(key, String(value));
    }
  }
  return params.toString() || 'all models';
}
