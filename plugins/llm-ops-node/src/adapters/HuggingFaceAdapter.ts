import { InputError } from '@backstage/errors';
import type {
  ModelConfig,
  ModelHub,
  ModelInfo,
  ModelSearch,
  ModelSummary,
} from '../types';
import { ToolHttpClient } from './ToolHttpClient';

/** @public */
export type HuggingFaceModelInfo = ModelInfo;
/** @public */
export type HuggingFaceModelConfig = ModelConfig;
/** @public */
export type HuggingFaceModelSearch = ModelSearch;
/** @public */
export type HuggingFaceModelSummary = ModelSummary;

/** The default and the largest `limit` of a model search. @public */
export const HF_SEARCH_LIMITS = { default: 100, max: 1000 } as const;

/** The `rel="next"` URL of an RFC 8288 `Link` header, as the Hub paginates. */
function nextLink(header: string | null): string | undefined {
  for (const [, url, params] of (header ?? '').matchAll(/<([^>]*)>([^<]*)/g)) {
    const rel = /;\s*rel\s*=\s*"?([^";,]*)"?/i.exec(params)?.[1] ?? '';
    if (rel.toLowerCase().split(/\s+/).includes('next')) return url;
  }
  return undefined;
}

const encodeRepo = (repoId: string) =>
  repoId.split('/').map(encodeURIComponent).join('/');

/** The Hugging Face Hub, or a company mirror of it. @public */
export class HuggingFaceAdapter implements ModelHub {
  readonly tool = 'huggingface';
  readonly category = 'model-hub' as const;
  constructor(private readonly http: ToolHttpClient) {}

  async ping(signal: AbortSignal): Promise<void> {
    await this.http.request('/api/models?limit=1', { signal });
  }

  /**
   * The models a search finds, through `GET /api/models` (with `full=false`),
   * in the Hub's order. Follows the `Link: <…>; rel="next"` pages until
   * `limit` models (default 100, at most 1000) or the last page. Each next
   * page is asked of the configured endpoint (its query string only), so the
   * token never goes to another host.
   */
  async searchModels(
    query: HuggingFaceModelSearch,
    signal: AbortSignal,
  ): Promise<HuggingFaceModelSummary[]> {
    const limit = query.limit ?? HF_SEARCH_LIMITS.default;
    if (!Number.isInteger(limit) || limit < 1 || limit > HF_SEARCH_LIMITS.max) {
      throw new InputError(
        `The limit of a Hugging Face model search must be an integer from 1 to ${HF_SEARCH_LIMITS.max}, not ${limit}`,
      );
    }
    const filter =
      query.filter === undefined
        ? undefined
        : ([] as string[]).concat(query.filter);
    const models: HuggingFaceModelSummary[] = [];
    const seen = new Set<string>();
    let path = '/api/models';
    let params: Record<string, string | number | string[] | undefined> = {
      author: query.author || undefined,
      search: query.search || undefined,
      filter: filter?.length ? filter : undefined,
      limit,
      full: 'false',
    };
    for (;;) {
      const response = await this.http.request(path, {
        signal,
        query: params,
        headers: { accept: 'application/json' },
      });
      const page = (await response.json()) as Array<{
        _id?: string;
        id?: string;
        modelId?: string;
        tags?: string[];
        pipeline_tag?: string;
        library_name?: string;
        private?: boolean;
        likes?: number;
        downloads?: number;
        createdAt?: string;
      }>;
      if (!Array.isArray(page)) {
        throw new Error(
          `${this.tool}: GET /api/models did not answer a list of models`,
        );
      }
      let added = 0;
      for (const item of page) {
        const id = item.id ?? item.modelId;
        if (!id || seen.has(id)) continue;
        added++;
        seen.add(id);
        models.push({
          id,
          tags: item.tags ?? [],
          pipelineTag: item.pipeline_tag,
          libraryName: item.library_name,
          private: item.private,
          likes: item.likes,
          downloads: item.downloads,
          createdAt: item.createdAt,
        });
        if (models.length >= limit) return models;
      }
      const next = nextLink(response.headers.get('link'));
      // A page with nothing new ends it, should a server loop.
      if (!next || added === 0) return models;
      // The next link holds the whole query, with the Hub's cursor.
      path = `/api/models${new URL(next, this.http.baseUrl).search}`;
      params = {};
    }
  }

  /**
   * Parses `hf://org/name[@rev]` (or `org/name[@rev]`), then resolves the
   * revision (default `main`) to its commit.
   */
  async resolveRef(
    ref: string,
    signal: AbortSignal,
  ): Promise<{ repoId: string; revision: string; sha?: string }> {
    const match = /^(?:hf:\/\/)?([\w.-]+\/[\w.-]+)(?:@(.+))?$/.exec(ref);
    if (!match)
      throw new InputError(`'${ref}' is not hf://org/name[@revision]`);
    const [, repoId, revision = 'main'] = match;
    const info = await this.getModelInfo(repoId, signal, revision);
    return { repoId: info.id, revision, sha: info.sha };
  }

  /**
   * A model's metadata at a revision. Always names the revision: mirrors
   * such as olah answer only `/api/models/{repo}/revision/{rev}`.
   */
  async getModelInfo(
    repoId: string,
    signal: AbortSignal,
    revision = 'main',
  ): Promise<HuggingFaceModelInfo> {
    const path = `/api/models/${encodeRepo(
      repoId,
    )}/revision/${encodeURIComponent(revision)}`;
    const body = await this.http.json<{
      id?: string;
      modelId?: string;
      sha?: string;
      pipeline_tag?: string;
      library_name?: string;
      tags?: string[];
      gated?: boolean | string;
      private?: boolean;
      lastModified?: string;
      siblings?: Array<{ rfilename: string }>;
    }>(path, { signal });
    return {
      id: body.id ?? body.modelId ?? repoId,
      sha: body.sha,
      pipelineTag: body.pipeline_tag,
      libraryName: body.library_name,
      tags: body.tags ?? [],
      gated: body.gated,
      private: body.private,
      lastModified: body.lastModified,
      files: (body.siblings ?? []).map(s => s.rfilename),
    };
  }

  /** A model's `config.json` at a revision; `/api/models` lacks the context length. */
  async getConfig(
    repoId: string,
    signal: AbortSignal,
    revision = 'main',
  ): Promise<HuggingFaceModelConfig> {
    const raw = await this.http.json<Record<string, unknown>>(
      `/${encodeRepo(repoId)}/resolve/${encodeURIComponent(
        revision,
      )}/config.json`,
      { signal },
    );
    const length = raw.max_position_embeddings ?? raw.n_positions;
    return {
      family: typeof raw.model_type === 'string' ? raw.model_type : undefined,
      architectures: Array.isArray(raw.architectures)
        ? raw.architectures.filter((a): a is string => typeof a === 'string')
        : undefined,
      maxPositionEmbeddings: typeof length === 'number' ? length : undefined,
      raw,
    };
  }
}
