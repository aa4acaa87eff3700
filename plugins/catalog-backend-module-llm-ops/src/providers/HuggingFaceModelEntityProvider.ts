import {
  ANNOTATION_HF_REPO,
  LLM_OPS_API_VERSION,
  ModelEntity,
  modelEntityValidator,
} from '@llmops/plugin-llm-ops-common';
import type { HuggingFaceAdapter } from '@llmops/plugin-llm-ops-node';
import { describeInvalid, toEntityName } from './entityName';
import {
  LlmOpsEntityProvider,
  LlmOpsEntityProviderOptions,
} from './LlmOpsEntityProvider';
import type { ProviderPartition } from './types';

/** What the provider needs of the Hub: a repo's info and its `config.json`. @public */
export type HuggingFaceModelSource = Pick<
  HuggingFaceAdapter,
  'getModelInfo' | 'getConfig'
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
  repos: HuggingFaceRepoConfig[];
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
 * repositories. The family comes from `config.json`'s `model_type` (see
 * `HF_MODEL_TYPE_FAMILIES`), the context length from its
 * `max_position_embeddings`; a family outside the whitelist is skipped
 * with a log line. Each repository is read on its own, so one that fails
 * keeps its last entity.
 *
 * @public
 */
export class HuggingFaceModelEntityProvider extends LlmOpsEntityProvider {
  readonly #options: HuggingFaceModelEntityProviderOptions;

  constructor(options: HuggingFaceModelEntityProviderOptions) {
    super('llm-ops-huggingface-models', options);
    this.#options = options;
  }

  protected locationTarget(): string {
    return this.#options.endpoint.replace(/\/+$/, '');
  }

  protected async read(signal: AbortSignal): Promise<ProviderPartition[]> {
    const parts: ProviderPartition[] = [];
    for (const repo of this.#options.repos) {
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
