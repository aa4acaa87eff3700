import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DataVersioning } from '../types';

/** One git repository whose datasets DVC manages. @public */
export interface DvcRepo {
  name: string;
  /** A local path, or a URL that Backstage's UrlReader can read. */
  url: string;
}

/** DVC, reading `.dvc` files and the remote layout from git repos. @public */
export class DvcAdapter implements DataVersioning {
  readonly tool = 'dvc';
  readonly category = 'data-versioning' as const;
  constructor(readonly repos: DvcRepo[]) {}

  /** Reachable means every configured repo is there and is a DVC repo. */
  async ping(signal: AbortSignal): Promise<void> {
    for (const repo of this.repos) {
      signal.throwIfAborted();
      if (/^https?:\/\//.test(repo.url)) {
        const response = await fetch(repo.url, { method: 'HEAD', signal });
        if (!response.ok) {
          throw new Error(`repo ${repo.name}: HTTP ${response.status}`);
        }
        continue;
      }
      const dir = repo.url.replace(/^file:\/\//, '');
      const stat = await fs.stat(path.join(dir, '.dvc')).catch(() => undefined);
      if (!stat?.isDirectory()) {
        throw new Error(`repo ${repo.name}: ${dir} is not a DVC repository`);
      }
    }
  }
}
