import {
  ANNOTATION_DVC_REPO,
  DATASET_TYPES,
  DatasetEntity,
  DatasetType,
  LLM_OPS_API_VERSION,
  datasetEntityValidator,
} from '@llmops/plugin-llm-ops-common';
import type { DataVersioning } from '@llmops/plugin-llm-ops-node';
import { describeInvalid, toEntityName } from './entityName';
import {
  LlmOpsEntityProvider,
  LlmOpsEntityProviderOptions,
} from './LlmOpsEntityProvider';
import type { ProviderPartition } from './types';

/**
 * Which datasets get which type and owner: the first rule whose `match`
 * glob matches `<repo>/<data path>` wins (`*` within a path segment, `**`
 * across segments).
 *
 * @public
 */
export interface DvcDatasetRule {
  match: string;
  type: DatasetType;
  owner?: string;
  lifecycle?: string;
}

/** @public */
export interface DvcDatasetEntityProviderOptions
  extends LlmOpsEntityProviderOptions {
  dvc: DataVersioning;
  /** The configured repositories (`llmOps.integrations.dvc.repos`). */
  repos: Array<{ name: string; url: string }>;
  rules: DvcDatasetRule[];
  defaultOwner?: string;
  /** Default `production`. */
  defaultLifecycle?: string;
}

/**
 * A glob as a regular expression: `**` spans segments, `*` and `?` do not.
 *
 * @internal
 */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      source += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/**
 * `Dataset` entities for the `.dvc` files of the configured git
 * repositories, through the DVC adapter, each with its versions (tags
 * first, then the commits that changed it). The dataset type and owner come
 * from the configured rules; a dataset no rule matches is skipped with a
 * log line. Each dataset's versions are read on their own, so one that
 * fails keeps its last entity.
 *
 * @public
 */
export class DvcDatasetEntityProvider extends LlmOpsEntityProvider {
  readonly #options: DvcDatasetEntityProviderOptions;
  readonly #rules: Array<DvcDatasetRule & { regexp: RegExp }>;

  constructor(options: DvcDatasetEntityProviderOptions) {
    super('llm-ops-dvc-datasets', options);
    this.#options = options;
    this.#rules = options.rules.map(rule => {
      if (!(DATASET_TYPES as readonly string[]).includes(rule.type)) {
        throw new Error(
          `DVC dataset rule '${rule.match}': type '${
            rule.type
          }' is not one of ${DATASET_TYPES.join(', ')}`,
        );
      }
      return { ...rule, regexp: globToRegExp(rule.match) };
    });
  }

  protected locationTarget(): string {
    const first = this.#options.repos[0]?.url ?? 'dvc';
    return this.#options.repos.length === 1 ? first : 'dvc://repositories';
  }

  protected async read(signal: AbortSignal): Promise<ProviderPartition[]> {
    const datasets = await this.#options.dvc.listDatasets(signal);
    const parts: ProviderPartition[] = [];
    for (const dataset of datasets) {
      const partition = `dvc:${dataset.name}`;
      const rule = this.#rules.find(r => r.regexp.test(dataset.name));
      if (!rule) {
        this.skip(
          `DVC dataset ${dataset.name}`,
          'no catalog.providers.llmOpsDvc.datasets rule matches it, so its type is unknown',
        );
        parts.push({ partition, entities: [] });
        continue;
      }
      try {
        const versions = await this.#options.dvc.listDatasetVersions(
          dataset.name,
          signal,
        );
        const entity = this.#toEntity(dataset, rule, versions);
        parts.push({ partition, entities: entity ? [entity] : [] });
      } catch (error) {
        parts.push({ partition, error: error as Error });
      }
    }
    return parts;
  }

  #toEntity(
    dataset: { name: string; repo: string; path: string },
    rule: DvcDatasetRule,
    versions: Awaited<ReturnType<DataVersioning['listDatasetVersions']>>,
  ): DatasetEntity | undefined {
    const item = `DVC dataset ${dataset.name}`;
    const owner = rule.owner ?? this.#options.defaultOwner;
    if (!owner) {
      this.skip(
        item,
        `rule '${rule.match}' has no owner and catalog.providers.llmOpsDvc.defaultOwner is not set`,
      );
      return undefined;
    }
    const repoUrl =
      this.#options.repos.find(r => r.name === dataset.repo)?.url ??
      dataset.repo;
    // the newest by date: the adapter lists tags before untagged commits
    const latest = [...versions].sort((a, b) =>
      (b.date ?? '').localeCompare(a.date ?? ''),
    )[0];
    const storageUri = latest?.url
      ? toUri(latest.url)
      : `dvc://${dataset.repo}/${dataset.path}`;
    const entity: DatasetEntity = {
      apiVersion: LLM_OPS_API_VERSION,
      kind: 'Dataset',
      metadata: {
        name: toEntityName(dataset.path.split('/').pop()!),
        title: dataset.name,
        annotations: { [ANNOTATION_DVC_REPO]: dataset.repo },
      },
      spec: {
        type: rule.type,
        owner,
        lifecycle:
          rule.lifecycle ?? this.#options.defaultLifecycle ?? 'production',
        storageUri,
        dvc: { repo: repoUrl, path: dataset.path },
        versions: versions.map(v => ({
          version: v.version,
          ...(v.md5 ? { md5: v.md5 } : {}),
          ...(v.size !== undefined ? { size: v.size } : {}),
          ...(v.files !== undefined ? { files: v.files } : {}),
          ...(v.url ? { url: toUri(v.url) } : {}),
          ...(v.date ? { date: v.date } : {}),
        })),
      },
    };
    try {
      datasetEntityValidator(entity);
    } catch (error) {
      this.skip(item, `invalid Dataset: ${describeInvalid(error)}`);
      return undefined;
    }
    return entity;
  }
}

/** A local remote's path as a `file://` URI; other URLs as they are. */
function toUri(url: string): string {
  return url.startsWith('/') ? `file://${url}` : url;
}
