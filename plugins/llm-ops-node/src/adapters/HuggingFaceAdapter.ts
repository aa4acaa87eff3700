import { InputError } from '@backstage/errors';
import type { ModelHub } from '../types';
import { ToolHttpClient } from './ToolHttpClient';

/** A model repository's metadata, from `GET /api/models/{repo}`. @public */
export interface HuggingFaceModelInfo {
  id: string;
  /** The commit the revision resolved to. */
  sha?: string;
  pipelineTag?: string;
  libraryName?: string;
  tags: string[];
  gated?: boolean | string;
  private?: boolean;
  lastModified?: string;
  /** The repository's file names. */
  files: string[];
}

/** What the portal needs from a model's `config.json`. @public */
export interface HuggingFaceModelConfig {
  /** `model_type`, such as `llama`. */
  family?: string;
  architectures?: string[];
  /** `max_position_embeddings`, or GPT-2's `n_positions`. */
  maxPositionEmbeddings?: number;
  /** The whole file. */
  raw: Record<string, unknown>;
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
    const raw = await this.http.json<Record<string, any>>(
      `/${encodeRepo(repoId)}/resolve/${encodeURIComponent(
        revision,
      )}/config.json`,
      { signal },
    );
    const length = raw.max_position_embeddings ?? raw.n_positions;
    return {
      family: raw.model_type,
      architectures: raw.architectures,
      maxPositionEmbeddings: typeof length === 'number' ? length : undefined,
      raw,
    };
  }
}
