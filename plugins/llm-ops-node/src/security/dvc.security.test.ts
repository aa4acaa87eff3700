import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { sh, tempDir } from '@internal/llmops-test-utils';
import { DvcAdapter } from '../adapters/DvcAdapter';

jest.setTimeout(60_000);

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};
const MD5 = '22a1a2931c8370d3aeedd7183606fd7f';

/** A git repository with `files` committed and tagged `v1`; plain git, no dvc. */
async function makeRepo(root: string, files: Record<string, string>) {
  const dir = path.join(root, 'repo');
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  const git = (...args: string[]) =>
    sh('git', args, { cwd: dir, env: GIT_ENV });
  await git('init', '-q', '-b', 'main');
  await git('add', '-A');
  await git('commit', '-q', '-m', 'data');
  await git('tag', 'v1');
  return { dir, git };
}

const dvcFile = (out: object) => stringify({ outs: [out] });

describe('DvcAdapter security', () => {
  const signal = new AbortController().signal;
  let root: string;
  beforeEach(() => {
    root = tempDir('dvc-security');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('finding 1: a tag named like a git option (--output=…) is read as a revision, never passed as an option', async () => {
    const { dir, git } = await makeRepo(root, {
      '.dvc/config': '[core]\n    remote = store\n',
      'x.dvc': dvcFile({ md5: MD5, size: 6, hash: 'md5', path: 'x' }),
    });
    // git tag refuses such a name; a fetched or hand-made ref has it
    const evil = `--output=${path.join(root, 'pwned')}`;
    await git('update-ref', `refs/tags/${evil}`, 'HEAD');
    const adapter = new DvcAdapter([{ name: 'ex', url: dir }]);

    const versions = await adapter.listDatasetVersions('ex/x', signal);
    expect(versions.map(v => v.version).sort()).toEqual([evil, 'v1'].sort());
    expect(versions.every(v => v.md5 === MD5)).toBe(true);
    // a version a caller names is a revision too
    await expect(adapter.listFiles('ex/x', evil, signal)).resolves.toEqual([
      { relpath: 'x', md5: MD5 },
    ]);
    await expect(
      adapter.listFiles('ex/x', `--output=${path.join(root, 'p2')}`, signal),
    ).rejects.toThrow(/has no version/);
    // git wrote no file anywhere
    expect(fs.readdirSync(root)).toEqual(['repo']);
  });

  it('finding 2: .dvc/config is parsed without a backtracking pattern, and an over-long line is a clear error', async () => {
    // 2,000 characters that made the old section pattern backtrack cubically
    const hostile = `[${' '.repeat(1998)}x`;
    const config = (line: string) =>
      `[core]\n    remote = store\n${line}\n['remote "store"']\n    url = ../../store\n`;
    const { dir, git } = await makeRepo(root, {
      '.dvc/config': config(hostile),
      'x.dvc': dvcFile({ md5: MD5, size: 6, hash: 'md5', path: 'x' }),
    });
    const adapter = new DvcAdapter([{ name: 'ex', url: dir }]);
    const started = performance.now();
    const [version] = await adapter.listDatasetVersions('ex/x', signal);
    // eslint-disable-next-line no-console
    console.log(
      `a 2,000-character hostile line: ${Math.round(
        performance.now() - started,
      )} ms`,
    );
    expect(version.url).toBe(
      `${path.join(root, 'store')}/files/md5/22/${MD5.slice(2)}`,
    );

    fs.writeFileSync(
      path.join(dir, '.dvc/config'),
      config(`# ${'x'.repeat(5000)}`),
    );
    await git('commit', '-q', '-am', 'long line');
    await git('tag', 'v2');
    await expect(adapter.listDatasetVersions('ex/x', signal)).rejects.toThrow(
      /\.dvc\/config at refs\/tags\/v2: line 3 is longer than 4096 characters/,
    );
  });

  it('finding 3: an md5 that is not a hash is refused before it becomes a path, and every path stays inside its root', async () => {
    // the DVC 2 cache path of this "md5" is <root>/outside/manifest.dir
    fs.mkdirSync(path.join(root, 'outside'));
    fs.writeFileSync(
      path.join(root, 'outside/manifest.dir'),
      JSON.stringify([{ relpath: 'stolen', md5: MD5 }]),
    );
    const { dir } = await makeRepo(root, {
      '.dvc/config': '',
      'leak.dvc': dvcFile({ md5: '../../../outside/manifest.dir', path: 'l' }),
      'upper.dvc': dvcFile({ md5: MD5.toUpperCase(), path: 'u' }),
    });
    const adapter = new DvcAdapter([{ name: 'ex', url: dir }]);
    await expect(adapter.listFiles('ex/leak', 'v1', signal)).rejects.toThrow(
      /leak\.dvc at v1 has an invalid md5 "\.\.\/\.\.\/\.\.\/outside\/manifest\.dir"/,
    );
    await expect(
      adapter.listDatasetVersions('ex/leak', signal),
    ).rejects.toThrow(/invalid md5/);
    await expect(adapter.listFiles('ex/upper', 'v1', signal)).rejects.toThrow(
      /invalid md5/,
    );
  });
});
