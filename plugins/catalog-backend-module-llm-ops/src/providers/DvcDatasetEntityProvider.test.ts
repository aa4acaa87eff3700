import fs from 'node:fs';
import path from 'node:path';
import { DvcAdapter } from '@llmops/plugin-llm-ops-node';
import {
  describePeer,
  tempDir,
  venvBin,
} from '@internal/llmops-test-utils';
import { execFileSync } from 'node:child_process';
import {
  processEntity,
  RecordingConnection,
  recordingLogger,
} from '../__testUtils__/recordingConnection';
import {
  DvcDatasetEntityProvider,
  globToRegExp,
} from './DvcDatasetEntityProvider';

jest.setTimeout(300_000);

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

describe('globToRegExp', () => {
  it.each([
    ['datasets/data/support-*', 'datasets/data/support-tickets', true],
    ['datasets/data/support-*', 'datasets/data/support/x', false],
    ['datasets/**', 'datasets/data/a/b.csv', true],
    ['*/data/?.csv', 'repo/data/a.csv', true],
    ['*/data/?.csv', 'repo/data/ab.csv', false],
  ])('%s matches %s: %s', (glob, name, matches) => {
    expect(globToRegExp(glob).test(name)).toBe(matches);
  });
});

describePeer(
  'DvcDatasetEntityProvider against a repository built by the real dvc',
  () => {
    let root: string;
    let repo: string;
    const run = (cmd: string, ...args: string[]) =>
      execFileSync(cmd, args, {
        cwd: repo,
        env: GIT_ENV,
        stdio: 'pipe',
      }).toString();
    const git = (...args: string[]) => run('git', ...args);
    const dvc = (...args: string[]) => run(venvBin('dvc'), ...args);
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
      fs.writeFileSync(path.join(repo, file), text);
    };
    const logger = recordingLogger();
    const connection = new RecordingConnection();
    let provider: DvcDatasetEntityProvider;

    beforeAll(async () => {
      root = tempDir('dvc-provider');
      repo = path.join(root, 'datasets');
      fs.mkdirSync(repo);
      git('init', '-q', '-b', 'main');
      dvc('init', '-q');
      dvc('config', 'core.autostage', 'true');
      dvc('remote', 'add', '-d', 'store', path.join(root, 'store'));

      write(
        'data/support-tickets-sft/a.jsonl',
        '{"prompt":"a","completion":"b"}\n',
      );
      write('data/product-docs-qa.jsonl', '{"q":"x","a":"y"}\n');
      write('data/scratch.csv', 'id\n1\n');
      dvc(
        'add',
        '-q',
        'data/support-tickets-sft',
        'data/product-docs-qa.jsonl',
        'data/scratch.csv',
      );
      git('add', '-A');
      git('commit', '-q', '-m', 'v1');
      dvc('push', '-q');
      git('tag', 'v1');
      write(
        'data/support-tickets-sft/b.jsonl',
        '{"prompt":"c","completion":"d"}\n',
      );
      dvc('add', '-q', 'data/support-tickets-sft');
      git('commit', '-q', '-am', 'v2');
      dvc('push', '-q');
      git('tag', 'v2');

      provider = new DvcDatasetEntityProvider({
        logger,
        dvc: new DvcAdapter([{ name: 'datasets', url: repo }]),
        repos: [{ name: 'datasets', url: repo }],
        rules: [
          {
            match: 'datasets/data/support-*',
            type: 'sft_pair',
            owner: 'group:default/nlp',
          },
          {
            match: 'datasets/data/*-qa.jsonl',
            type: 'rag_qa',
            owner: 'group:default/search',
          },
        ],
      });
      await provider.connect(connection);
    });

    afterAll(() => {
      if (root) fs.rmSync(root, { recursive: true, force: true });
    });

    it('emits a Dataset per matching .dvc file, with its versions, and skips one no rule types', async () => {
      expect(await provider.refresh()).toEqual({
        type: 'full',
        added: 2,
        removed: 0,
        failures: 0,
      });
      expect(connection.last().added).toEqual([
        'dataset:default/product-docs-qa.jsonl',
        'dataset:default/support-tickets-sft',
      ]);
      const sft = connection.entities.get(
        'dataset:default/support-tickets-sft',
      )!;
      expect(sft.metadata).toMatchObject({
        title: 'datasets/data/support-tickets-sft',
        annotations: {
          'llmops.dev/dvc-repo': 'datasets',
          'backstage.io/managed-by-location': `url:${repo}`,
        },
      });
      const versions = (sft.spec as any).versions;
      expect(sft.spec).toMatchObject({
        type: 'sft_pair',
        owner: 'group:default/nlp',
        lifecycle: 'production',
        storageUri: versions[0].url,
        dvc: { repo, path: 'data/support-tickets-sft' },
      });
      expect(versions.map((v: any) => [v.version, v.files])).toEqual([
        ['v2', 2],
        ['v1', 1],
      ]);
      expect(versions[0].url).toMatch(
        new RegExp(
          `^file://${root}/store/files/md5/[0-9a-f]{2}/[0-9a-f]{30}\\.dir$`,
        ),
      );
      expect(fs.existsSync(versions[0].url.slice('file://'.length))).toBe(true);
      for (const entity of connection.entities.values()) {
        expect((await processEntity(entity)).valid).toBe(true);
      }
      expect(logger.warnings).toEqual([
        'Skipping DVC dataset datasets/data/scratch.csv: no catalog.providers.llmOpsDvc.datasets rule matches it, so its type is unknown',
      ]);
    });

    it('adds only a new dataset, changes only the one with a new version, removes only the one deleted', async () => {
      write(
        'data/support-preferences.jsonl',
        '{"chosen":"a","rejected":"b"}\n',
      );
      dvc('add', '-q', 'data/support-preferences.jsonl');
      git('commit', '-q', '-m', 'preferences');
      await provider.refresh();
      expect(connection.last()).toEqual({
        type: 'delta',
        added: ['dataset:default/support-preferences.jsonl'],
        removed: [],
      });

      write(
        'data/product-docs-qa.jsonl',
        '{"q":"x","a":"y"}\n{"q":"z","a":"w"}\n',
      );
      dvc('add', '-q', 'data/product-docs-qa.jsonl');
      git('commit', '-q', '-m', 'more docs'); // untagged: a version of this dataset only
      const sha = git('rev-parse', 'HEAD').trim();
      await provider.refresh();
      expect(connection.last()).toEqual({
        type: 'delta',
        added: ['dataset:default/product-docs-qa.jsonl'],
        removed: [],
      });
      expect(
        (
          connection.entities.get('dataset:default/product-docs-qa.jsonl')!
            .spec as any
        ).versions.map((v: any) => v.version),
      ).toEqual(['v2', 'v1', sha]);
      const docs = connection.entities.get(
        'dataset:default/product-docs-qa.jsonl',
      )!.spec as any;
      // the storage URI is the newest version's, not the newest tag's
      expect(docs.storageUri).toBe(docs.versions[2].url);

      git('rm', '-q', 'data/support-preferences.jsonl.dvc');
      git('commit', '-q', '-m', 'drop preferences');
      await provider.refresh();
      expect(connection.last()).toEqual({
        type: 'delta',
        added: [],
        removed: ['dataset:default/support-preferences.jsonl'],
      });
    });

    it('removes nothing while the repository is gone, and carries on when it is back', async () => {
      const before = [...connection.entities.keys()].sort();
      const mutations = connection.mutations.length;
      fs.renameSync(repo, `${repo}.away`);
      try {
        expect(await provider.refresh()).toEqual({
          type: 'none',
          added: 0,
          removed: 0,
          failures: 1,
        });
        expect(provider.getHealth()).toMatchObject({
          healthy: false,
          entityCount: 2,
        });
        expect(logger.warnings.pop()).toMatch(
          /the tool did not answer \(dvc: repo datasets: .*\); keeping its last entities/,
        );
      } finally {
        fs.renameSync(`${repo}.away`, repo);
      }
      expect(connection.mutations).toHaveLength(mutations);
      expect([...connection.entities.keys()].sort()).toEqual(before);
      expect(await provider.refresh()).toEqual({
        type: 'none',
        added: 0,
        removed: 0,
        failures: 0,
      });
    });
  },
);
