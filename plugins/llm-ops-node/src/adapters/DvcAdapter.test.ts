import fs from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { DvcAdapter } from './DvcAdapter';
import {
  describePeer,
  fixturesDir,
  python,
  repoRoot,
  sh,
  tempDir,
  venvBin,
} from '@internal/llmops-test-utils';

jest.setTimeout(300_000);

/** DVC's own answers: `dvc.api.get_url` for each (path, rev). */
const GET_URL = `
import json, sys, dvc.api
arg = json.loads(sys.argv[1])
print(json.dumps([dvc.api.get_url(p, repo=arg["repo"], rev=r) for p, r in arg["pairs"]]))
`;

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

describePeer('DvcAdapter against repositories built by the real dvc', () => {
  const signal = new AbortController().signal;
  let root: string;
  let repo: string;
  const git = (...args: string[]) =>
    sh('git', args, { cwd: repo, env: GIT_ENV });
  const dvc = (...args: string[]) =>
    sh(venvBin('dvc'), args, { cwd: repo, env: GIT_ENV });
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    fs.writeFileSync(path.join(repo, file), text);
  };
  const getUrls = (dir: string, pairs: Array<[string, string]>) =>
    python<string[]>(GET_URL, { repo: dir, pairs });

  beforeAll(async () => {
    root = tempDir('dvc');
    repo = path.join(root, 'repo');
    fs.mkdirSync(repo);
    await git('init', '-q', '-b', 'main');
    await dvc('init', '-q');
    await dvc('config', 'core.autostage', 'true');
    // relative: DVC stores it relative to .dvc/, as ../../store
    await dvc('remote', 'add', '-d', 'store', '../store');

    write('data/corpus/a.txt', 'alpha\n');
    write('data/corpus/b.txt', 'beta\n');
    write('data/corpus/sub/c.txt', 'gamma\n');
    write('data/labels.csv', 'id,label\n1,pos\n');
    await dvc('add', '-q', 'data/corpus', 'data/labels.csv');
    await git('add', '-A');
    await git('commit', '-q', '-m', 'v1 data');
    await dvc('push', '-q');
    await git('tag', 'v1');

    write('data/corpus/b.txt', 'beta, revised\n');
    write('data/corpus/sub/d.txt', 'delta\n');
    await dvc('add', '-q', 'data/corpus');
    await git('commit', '-q', '-am', 'v2 corpus');
    await dvc('push', '-q');
    await git('tag', '-a', 'v2', '-m', 'annotated v2');

    write('data/labels.csv', 'id,label\n1,pos\n2,neg\n');
    await dvc('add', '-q', 'data/labels.csv');
    await git('commit', '-q', '-am', 'more labels, untagged');
    await dvc('push', '-q');
  });

  afterAll(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('lists the .dvc files as datasets', async () => {
    const adapter = new DvcAdapter([{ name: 'demo', url: repo }]);
    await expect(adapter.ping(signal)).resolves.toBeUndefined();
    expect(await adapter.listDatasets(signal)).toEqual([
      { name: 'demo/data/corpus', repo: 'demo', path: 'data/corpus' },
      { name: 'demo/data/labels.csv', repo: 'demo', path: 'data/labels.csv' },
    ]);
  });

  it('gives every tag and changing commit the URL dvc.api.get_url gives', async () => {
    const adapter = new DvcAdapter([{ name: 'demo', url: `file://${repo}` }]);
    const head = (await git('rev-parse', 'HEAD')).trim();
    for (const dataPath of ['data/corpus', 'data/labels.csv']) {
      const versions = await adapter.listDatasetVersions(
        `demo/${dataPath}`,
        signal,
      );
      const expected =
        dataPath === 'data/corpus' ? ['v2', 'v1'] : ['v2', 'v1', head];
      expect(versions.map(v => v.version)).toEqual(expected);
      const reference = await getUrls(
        repo,
        versions.map(v => [dataPath, v.version]),
      );
      expect(versions.map(v => v.url)).toEqual(reference);
      for (const v of versions) {
        expect(v.url).toMatch(
          /\/store\/files\/md5\/[0-9a-f]{2}\/[0-9a-f]{30}(\.dir)?$/,
        );
        expect(
          v.url!.endsWith(`${v.md5!.slice(0, 2)}/${v.md5!.slice(2)}`),
        ).toBe(true);
        expect(fs.existsSync(v.url!)).toBe(true); // dvc push put it there
        expect(v.date).toMatch(/^\d{4}-\d\d-\d\dT/);
      }
    }
  });

  it('matches `dvc ls --json` for a directory dataset at every version', async () => {
    const adapter = new DvcAdapter([{ name: 'demo', url: repo }]);
    const versions = await adapter.listDatasetVersions(
      'demo/data/corpus',
      signal,
    );
    expect(versions.map(v => v.files)).toEqual([4, 3]);
    for (const v of versions) {
      const listed = JSON.parse(
        await sh(venvBin('dvc'), [
          'ls',
          repo,
          'data/corpus',
          '--rev',
          v.version,
          '--json',
          '-R',
        ]),
      ) as Array<{
        path: string;
        md5?: string;
        size?: number | null;
        isdir: boolean;
      }>;
      const files = listed.filter(e => !e.isdir);
      const mine = await adapter.listFiles(
        'demo/data/corpus',
        v.version,
        signal,
      );
      const byPath = (a: { path: string }, b: { path: string }) =>
        a.path.localeCompare(b.path);
      expect(
        mine.map(f => ({ path: f.relpath, md5: f.md5 })).sort(byPath),
      ).toEqual(files.map(f => ({ path: f.path, md5: f.md5 })).sort(byPath));
      expect(v.files).toBe(files.length);
    }
    // dvc ls knows sizes only for the checked-out version: v2
    const listed = JSON.parse(
      await sh(venvBin('dvc'), ['ls', repo, 'data/corpus', '--json', '-R']),
    ) as Array<{ size: number; isdir: boolean }>;
    const total = listed
      .filter(e => !e.isdir)
      .reduce((sum, f) => sum + f.size, 0);
    expect(versions[0]).toMatchObject({ version: 'v2', size: total });
  });

  it('counts files from the .dir manifest in the remote when the .dvc file lacks nfiles', async () => {
    const copy = path.join(root, 'copy');
    await sh('git', ['clone', '-q', repo, copy]);
    const dvcFile = path.join(copy, 'data/corpus.dvc');
    fs.writeFileSync(
      dvcFile,
      fs.readFileSync(dvcFile, 'utf8').replace(/^\s*nfiles: \d+\n/m, ''),
    );
    await sh('git', ['commit', '-q', '-am', 'drop nfiles'], {
      cwd: copy,
      env: GIT_ENV,
    });
    // the clone has no cache: the manifest can only come from the remote
    expect(fs.existsSync(path.join(copy, '.dvc/cache'))).toBe(false);
    const adapter = new DvcAdapter([{ name: 'copy', url: copy }]);
    const [latest] = await adapter.listDatasetVersions(
      'copy/data/corpus',
      signal,
    );
    expect(latest.files).toBe(4);
  });

  it.each([
    [
      'example-get-started-3.x',
      /\/files\/md5\/22\/a1a2931c8370d3aeedd7183606fd7f$/,
    ],
    [
      'example-get-started-2.x-legacy',
      /\/get-started\/4b\/d325a30d5f1d5ea1a451d98767ddde$/,
    ],
  ])(
    'builds the remote URL of the %s layout as dvc.api.get_url does',
    async (example, layout) => {
      const dir = path.join(root, example);
      fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
      fs.mkdirSync(path.join(dir, '.dvc'));
      const source = path.join(fixturesDir(), 'dvc/examples', example);
      fs.copyFileSync(
        path.join(source, '.dvc/config'),
        path.join(dir, '.dvc/config'),
      );
      // The fixture is a `dvc import`, for which get_url answers the source
      // repo's path; keep only its outs, as `dvc add` would write them.
      const stage = parse(
        fs.readFileSync(path.join(source, 'data/data.xml.dvc'), 'utf8'),
      );
      fs.writeFileSync(
        path.join(dir, 'data/data.xml.dvc'),
        stringify({ outs: stage.outs }),
      );
      await sh('git', ['init', '-q', '-b', 'main'], { cwd: dir });
      await sh('git', ['add', '-A'], { cwd: dir });
      await sh('git', ['commit', '-q', '-m', 'example'], {
        cwd: dir,
        env: GIT_ENV,
      });
      await sh('git', ['tag', 'v1'], { cwd: dir });
      const adapter = new DvcAdapter([{ name: 'ex', url: dir }]);
      const [version] = await adapter.listDatasetVersions(
        'ex/data/data.xml',
        signal,
      );
      const [reference] = await getUrls(dir, [['data/data.xml', 'v1']]);
      expect(version.url).toBe(reference);
      expect(version.url).toMatch(layout);
    },
  );
});

describePeer("DvcAdapter on the demo stack's dataset repository", () => {
  const signal = new AbortController().signal;
  let root: string;
  let repo: string;
  let adapter: DvcAdapter;
  const origin = 'https://git.example.com/ml/datasets.git';

  beforeAll(async () => {
    root = tempDir('dvc-demo');
    repo = path.join(root, 'datasets');
    // The builder `make start` runs; it calls DVC from the virtualenv.
    await sh(
      venvBin('python'),
      [
        path.join(repoRoot(), 'scripts/demo/make_dvc_repo.py'),
        JSON.stringify({
          dir: repo,
          remote: path.join(root, 'remote'),
          dvc: venvBin('dvc'),
        }),
      ],
      { env: GIT_ENV },
    );
    adapter = new DvcAdapter([{ name: 'datasets', url: repo }]);
  });

  afterAll(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('finds a catalog Dataset by the URL of the clone it reads', async () => {
    await expect(
      adapter.findDataset(
        { repo: origin, path: 'data/support-tickets-sft' },
        signal,
      ),
    ).resolves.toBe('datasets/data/support-tickets-sft');
    // by the configured name and by other spellings of the same URL
    await expect(
      adapter.findDataset({ repo: 'datasets', path: 'data/x' }, signal),
    ).resolves.toBe('datasets/data/x');
    await expect(
      adapter.findDataset(
        { repo: 'git@git.example.com:ml/datasets', path: 'data/x' },
        signal,
      ),
    ).resolves.toBe('datasets/data/x');
    await expect(
      adapter.findDataset(
        { repo: 'https://git.example.com/ml/other.git', path: 'data/x' },
        signal,
      ),
    ).resolves.toBeUndefined();
  });

  it("reads each dataset's own GTO tags as its versions, as dvc.api.get_url does", async () => {
    const versions = await adapter.listDatasetVersions(
      'datasets/data/support-tickets-sft',
      signal,
    );
    // only support-tickets-sft@… tags, newest first; no other dataset's tag
    expect(versions.map(v => v.version)).toEqual(['v3', 'v2']);
    const reference = await python<string[]>(
      `
import json, sys, dvc.api
arg = json.loads(sys.argv[1])
print(json.dumps([dvc.api.get_url("data/support-tickets-sft", repo=arg["repo"], rev=r) for r in arg["revs"]]))
`,
      { repo, revs: ['support-tickets-sft@v3', 'support-tickets-sft@v2'] },
    );
    expect(versions.map(v => v.url)).toEqual(reference);
  });

  it('agrees with the example catalog on every version of every Dataset', async () => {
    const catalog = parseAllDocuments(
      fs.readFileSync(path.join(repoRoot(), 'examples/datasets.yaml'), 'utf8'),
    ).map(d => d.toJS());
    expect(catalog.length).toBeGreaterThanOrEqual(5);
    for (const entity of catalog) {
      expect(entity.spec.dvc.repo).toBe(origin);
      const id = await adapter.findDataset(entity.spec.dvc, signal);
      const live = await adapter.listDatasetVersions(id!, signal);
      expect(
        live.map(v => ({
          version: v.version,
          md5: v.md5,
          size: v.size,
          files: v.files,
          date: v.date?.slice(0, 10),
        })),
      ).toEqual(
        entity.spec.versions.map((v: Record<string, unknown>) => ({
          version: v.version,
          md5: v.md5,
          size: v.size,
          files: v.files,
          date: v.date,
        })),
      );
    }
  });
});
