import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { InputError, NotImplementedError } from '@backstage/errors';
import { parse as parseYaml } from 'yaml';
import type { DatasetVersion, DataVersioning } from '../types';
import { ToolError } from '../tools/ToolError';

const run = promisify(execFile);

/** One git repository whose datasets DVC manages. @public */
export interface DvcRepo {
  name: string;
  /** A local path (or `file://` URL) of a git repository. */
  url: string;
}

/** One file of a directory dataset, from its `.dir` manifest. @public */
export interface DvcFileEntry {
  relpath: string;
  md5: string;
}

/** The `outs` entry of a `.dvc` file. */
interface DvcOut {
  path: string;
  md5?: string;
  size?: number;
  nfiles?: number;
  /** `md5` in DVC 3; absent in DVC 2, whose remote layout differs. */
  hash?: string;
  remote?: string;
}

/** The longest `.dvc/config` line read; a longer one is refused. */
const MAX_CONFIG_LINE = 4096;
/** A DVC object's md5: 32 lowercase hex digits, `.dir` for a directory. */
const MD5 = /^[0-9a-f]{32}(\.dir)?$/;

/**
 * Reads the `[core] remote` and each `['remote "x"'] url` of `.dvc/config`,
 * without backtracking patterns; `where` names the file in errors.
 *
 * @internal
 */
export function parseDvcConfig(text: string, where = '.dvc/config') {
  const remotes: Record<string, string> = {};
  let core: string | undefined;
  let section = '';
  for (const [index, raw] of text.split('\n').entries()) {
    if (raw.length > MAX_CONFIG_LINE) {
      throw new InputError(
        `dvc: ${where}: line ${
          index + 1
        } is longer than ${MAX_CONFIG_LINE} characters`,
      );
    }
    const line = raw.trim();
    if (line.startsWith('[') && line.endsWith(']')) {
      let name = line.slice(1, -1).trim();
      if (name.startsWith("'")) name = name.slice(1);
      if (name.endsWith("'")) name = name.slice(0, -1);
      section = name.replace(/\s+/g, ' ');
      continue;
    }
    const eq = line.indexOf('=');
    const key = line.slice(0, eq).trim();
    if (eq < 0 || !/^[\w-]+$/.test(key)) continue;
    const value = line.slice(eq + 1).trim();
    const remote =
      section.startsWith('remote "') && section.endsWith('"')
        ? section.slice(8, -1)
        : undefined;
    if (section === 'core' && key === 'remote') core = value;
    if (remote && key === 'url') remotes[remote] = value;
  }
  return { defaultRemote: core, remotes };
}

/** `path.resolve(root, ...parts)`, refused when it leaves `root`. */
function inside(root: string, ...parts: string[]): string {
  const base = path.resolve(root);
  const resolved = path.resolve(base, ...parts);
  if (resolved !== base && !resolved.startsWith(`${base}${path.sep}`)) {
    throw new InputError(`dvc: ${parts.join('/')} is outside ${base}`);
  }
  return resolved;
}

/**
 * An object's path under a remote or cache, from its md5 (which `#readOut`
 * checked): `files/md5/xx/…` in DVC 3, `xx/…` in DVC 2.
 */
function objectPath(out: DvcOut): string {
  const md5 = out.md5!;
  const layout = out.hash === 'md5' ? 'files/md5/' : '';
  return `${layout}${md5.slice(0, 2)}/${md5.slice(2)}`;
}

/** A git URL or path without its scheme's noise: `https://h/a/b.git/` is `h/a/b`. */
function normalizeRepoUrl(url: string): string {
  return url
    .trim()
    .replace(/^(https?|ssh|git|file):\/\//, '')
    .replace(/^[^@/]+@/, '')
    .replace(/:(?!\d)/, '/')
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .toLowerCase();
}

/**
 * DVC, reading each repository's git history: its `.dvc` files, and
 * `.dvc/config` for the remote. A dataset is a `.dvc` file; its versions
 * are the git tags that have it and the commits that changed it. An
 * object's URL follows the remote layout: `files/md5/xx/…` in DVC 3,
 * `xx/…` in DVC 2.
 *
 * @public
 */
export class DvcAdapter implements DataVersioning {
  readonly tool = 'dvc';
  readonly category = 'data-versioning' as const;
  readonly #origins = new Map<string, string>();
  constructor(readonly repos: DvcRepo[]) {}

  /** Reachable means every configured repo is there and is a DVC repo. */
  async ping(signal: AbortSignal): Promise<void> {
    for (const repo of this.repos) {
      const dir = this.#dir(repo);
      const stat = await fs.stat(path.join(dir, '.dvc')).catch(() => undefined);
      if (!stat?.isDirectory()) {
        throw new ToolError(
          { tool: this.tool, reason: 'not-a-dvc-repo' },
          `dvc: repo ${repo.name} is not a DVC repository`,
        );
      }
      await this.#git(repo, ['rev-parse', 'HEAD'], signal);
    }
  }

  /** Every `.dvc` file at each repo's HEAD; the name is `<repo>/<data path>`. */
  async listDatasets(signal: AbortSignal) {
    const datasets: Array<{ name: string; repo: string; path: string }> = [];
    for (const repo of this.repos) {
      const out = await this.#git(
        repo,
        ['ls-files', '-z', '--', '*.dvc', ':!:.dvc/**'],
        signal,
      );
      for (const file of out.split('\0').filter(Boolean)) {
        const dataPath = file.replace(/\.dvc$/, '');
        datasets.push({
          name: `${repo.name}/${dataPath}`,
          repo: repo.name,
          path: dataPath,
        });
      }
    }
    return datasets;
  }

  /**
   * The configured dataset at a repository and path, as a catalog entity
   * names them (`spec.dvc`): the repository by its configured name, its
   * configured URL, or the URL of the local clone's `origin` remote.
   */
  async findDataset(
    location: { repo: string; path: string },
    signal: AbortSignal,
  ): Promise<string | undefined> {
    const wanted = normalizeRepoUrl(location.repo);
    for (const repo of this.repos) {
      const matches =
        repo.name === location.repo ||
        normalizeRepoUrl(repo.url) === wanted ||
        (await this.#origin(repo, signal)) === wanted;
      if (matches) return `${repo.name}/${location.path.replace(/^\/+/, '')}`;
    }
    return undefined;
  }

  /**
   * Tagged versions first (newest first), then untagged commits that
   * changed it. A tag `<artifact>@<version>` (GTO's registration tags)
   * is a version of the dataset whose artifact name is `<artifact>`: the
   * name `dvc.yaml` declares for its path under `artifacts`, else the
   * path's last segment without its extension. Any other tag is a version
   * of every dataset it holds.
   */
  async listDatasetVersions(
    name: string,
    signal: AbortSignal,
  ): Promise<DatasetVersion[]> {
    const { repo, dataPath } = this.#locate(name);
    const dvcFile = `${dataPath}.dvc`;
    const artifact = await this.#artifactName(repo, dataPath, signal);
    const tagLines = await this.#git(
      repo,
      [
        'for-each-ref',
        '--sort=-creatordate',
        // full refnames: a tag may be named like an option (`--output=…`)
        '--format=%(refname)%09%(*objectname)%(objectname)',
        'refs/tags',
      ],
      signal,
    );
    const logLines = await this.#git(
      repo,
      ['log', '--format=%H', '--', dvcFile],
      signal,
    );
    const revs: Array<{ version: string; rev: string }> = [];
    const tagged = new Set<string>();
    for (const line of tagLines.split('\n').filter(Boolean)) {
      // an annotated tag prints its commit, then its own object: keep the first
      const [ref, ids] = line.split('\t');
      const tag = ref.slice('refs/tags/'.length);
      const at = tag.lastIndexOf('@');
      if (at > 0) {
        if (tag.slice(0, at) !== artifact) continue;
        revs.push({ version: tag.slice(at + 1), rev: ref });
      } else {
        revs.push({ version: tag, rev: ref });
      }
      tagged.add(ids.slice(0, 40));
    }
    for (const sha of logLines.split('\n').filter(Boolean)) {
      if (!tagged.has(sha)) revs.push({ version: sha, rev: sha });
    }
    const versions: DatasetVersion[] = [];
    for (const { version, rev } of revs) {
      const out = await this.#readOut(repo, dvcFile, rev, signal);
      if (!out) continue; // the tag predates the dataset
      const date = (
        await this.#git(
          repo,
          ['log', '-1', '--format=%cI', '--end-of-options', rev, '--'],
          signal,
        )
      ).trim();
      const url = await this.#objectUrl(repo, out, rev, signal);
      versions.push({
        version,
        md5: out.md5,
        size: out.size,
        files: out.md5?.endsWith('.dir')
          ? out.nfiles ?? (await this.#readManifest(repo, out, url))?.length
          : 1,
        url,
        date,
      });
    }
    return versions;
  }

  /**
   * The files of a directory dataset at a version, from its `.dir` manifest
   * in the local remote or the repo's cache.
   */
  async listFiles(
    name: string,
    version: string,
    signal: AbortSignal,
  ): Promise<DvcFileEntry[]> {
    const { repo, dataPath } = this.#locate(name);
    const out = await this.#readOut(repo, `${dataPath}.dvc`, version, signal);
    if (!out?.md5)
      throw new ToolError(
        { tool: this.tool, reason: 'not-found' },
        `dvc: ${name} has no version ${version}`,
        { statusCode: 404 },
      );
    if (!out.md5.endsWith('.dir'))
      return [{ relpath: path.basename(out.path), md5: out.md5 }];
    const url = await this.#objectUrl(repo, out, version, signal);
    const manifest = await this.#readManifest(repo, out, url);
    if (!manifest) {
      throw new NotImplementedError(
        `dvc: the manifest of ${name}@${version} is in no local remote or cache`,
      );
    }
    return manifest;
  }

  #locate(name: string) {
    const repo = this.repos.find(r => name.startsWith(`${r.name}/`));
    if (!repo)
      throw new ToolError(
        { tool: this.tool, reason: 'not-found' },
        `dvc: no configured repo holds dataset ${name}`,
        { statusCode: 404 },
      );
    return { repo, dataPath: name.slice(repo.name.length + 1) };
  }

  async #readOut(
    repo: DvcRepo,
    dvcFile: string,
    rev: string,
    signal: AbortSignal,
  ) {
    // `rev` may be a caller's: a revision, never an option
    const text = await this.#git(
      repo,
      ['show', '--end-of-options', `${rev}:${dvcFile}`],
      signal,
    ).catch(() => undefined);
    if (text === undefined) return undefined;
    const out = (parseYaml(text)?.outs ?? [])[0] as DvcOut | undefined;
    if (!out) throw new InputError(`dvc: ${dvcFile} at ${rev} has no outs`);
    if (
      out.md5 !== undefined &&
      out.md5 !== null &&
      !MD5.test(String(out.md5))
    ) {
      throw new InputError(
        `dvc: ${dvcFile} at ${rev} has an invalid md5 ${JSON.stringify(
          String(out.md5).slice(0, 100),
        )}`,
      );
    }
    return out;
  }

  /** The remote URL of an out's object, as `dvc.api.get_url` builds it. */
  async #objectUrl(
    repo: DvcRepo,
    out: DvcOut,
    rev: string,
    signal: AbortSignal,
  ) {
    if (!out.md5) return undefined;
    const text = await this.#git(
      repo,
      ['show', '--end-of-options', `${rev}:.dvc/config`],
      signal,
    ).catch(() => '');
    const config = parseDvcConfig(
      text,
      `repo ${repo.name}, .dvc/config at ${rev}`,
    );
    const remote = out.remote ?? config.defaultRemote;
    const base = remote ? config.remotes[remote] : undefined;
    if (!base) return undefined;
    const object = objectPath(out);
    if (/^[a-z][\w+.-]*:\/\//i.test(base)) {
      return `${base.replace(/\/+$/, '')}/${object}`;
    }
    // a local remote's path is relative to `.dvc/`
    return inside(path.resolve(this.#dir(repo), '.dvc', base), object);
  }

  /** A `.dir` manifest from a local remote, else from the repo's cache. */
  async #readManifest(repo: DvcRepo, out: DvcOut, url?: string) {
    const candidates = [
      url && path.isAbsolute(url) ? url : undefined,
      inside(path.join(this.#dir(repo), '.dvc', 'cache'), objectPath(out)),
    ];
    for (const file of candidates) {
      if (!file) continue;
      const text = await fs.readFile(file, 'utf8').catch(() => undefined);
      if (text !== undefined) return JSON.parse(text) as DvcFileEntry[];
    }
    return undefined;
  }

  /** The `origin` remote of a local clone, normalised; cached. */
  async #origin(repo: DvcRepo, signal: AbortSignal) {
    let origin = this.#origins.get(repo.name);
    if (origin === undefined) {
      origin = await this.#git(repo, ['remote', 'get-url', 'origin'], signal)
        .then(url => normalizeRepoUrl(url.trim()))
        .catch(() => '');
      this.#origins.set(repo.name, origin);
    }
    return origin;
  }

  /** The GTO artifact name of a data path (see `listDatasetVersions`). */
  async #artifactName(repo: DvcRepo, dataPath: string, signal: AbortSignal) {
    const text = await this.#git(repo, ['show', 'HEAD:dvc.yaml'], signal).catch(
      () => '',
    );
    let artifacts: Record<string, { path?: string }> = {};
    try {
      artifacts = parseYaml(text)?.artifacts ?? {};
    } catch {
      // an unreadable dvc.yaml declares no names
    }
    for (const [artifact, declared] of Object.entries(artifacts)) {
      if (declared?.path?.replace(/^\.\//, '') === dataPath) return artifact;
    }
    return path.basename(dataPath).replace(/\.[^.]+$/, '');
  }

  #dir(repo: DvcRepo): string {
    if (/^https?:\/\//.test(repo.url)) {
      throw new NotImplementedError(
        `dvc: repo ${repo.name} is remote; only local git repositories are read`,
      );
    }
    return repo.url.replace(/^file:\/\//, '');
  }

  async #git(
    repo: DvcRepo,
    args: string[],
    signal: AbortSignal,
  ): Promise<string> {
    try {
      const { stdout } = await run('git', ['-C', this.#dir(repo), ...args], {
        signal,
        maxBuffer: 64 * 1024 * 1024,
      });
      return stdout;
    } catch (error) {
      if (signal.aborted) throw error;
      const message =
        (error as { stderr?: string }).stderr?.trim() || String(error);
      throw new ToolError(
        { tool: this.tool, reason: 'git-failed' },
        `dvc: repo ${repo.name}: ${message.slice(0, 300)}`,
      );
    }
  }
}
