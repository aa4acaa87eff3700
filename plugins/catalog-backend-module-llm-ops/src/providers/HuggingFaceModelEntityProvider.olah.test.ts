import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { DEFAULT_MODEL_FAMILIES } from '@llmops/plugin-llm-ops-common';
import {
  HuggingFaceAdapter,
  ToolHttpClient,
} from '@llmops/plugin-llm-ops-node';
import {
  answers,
  describePeer,
  fixturesDir,
  freePort,
  Peer,
  startPeer,
  tempDir,
  venvBin,
} from '@llmops/plugin-llm-ops-node/testUtils';
import {
  processEntity,
  RecordingConnection,
  recordingLogger,
} from '../__testUtils__/recordingConnection';
import { HuggingFaceModelEntityProvider } from './HuggingFaceModelEntityProvider';

jest.setTimeout(180_000);

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

describePeer(
  'HuggingFaceModelEntityProvider against an olah mirror of the config-examples repos',
  () => {
    let dir: string;
    let olah: Peer;
    let endpoint: string;
    const logger = recordingLogger();
    const connection = new RecordingConnection();
    let provider: HuggingFaceModelEntityProvider;

    beforeAll(async () => {
      dir = tempDir('olah-provider');
      // each fixture becomes a git repo at mirrors/models/org/name, as olah reads it
      const examples = path.join(fixturesDir(), 'huggingface/config-examples');
      for (const file of fs.readdirSync(examples)) {
        const repoId = file
          .replace(/(\.resaved)?\.config\.json$/, '')
          .replace('__', '/');
        const repoDir = path.join(dir, 'mirrors/models', repoId);
        fs.mkdirSync(repoDir, { recursive: true });
        fs.copyFileSync(
          path.join(examples, file),
          path.join(repoDir, 'config.json'),
        );
        const git = (...args: string[]) =>
          execFileSync('git', args, {
            cwd: repoDir,
            env: GIT_ENV,
            stdio: 'pipe',
          });
        git('init', '-q', '-b', 'main');
        git('add', '-A');
        git('commit', '-q', '-m', 'config');
      }
      const port = await freePort();
      endpoint = `http://127.0.0.1:${port}`;
      const toml = path.join(dir, 'olah.toml');
      fs.writeFileSync(
        toml,
        [
          '[basic]',
          'host = "127.0.0.1"',
          `port = ${port}`,
          `mirror-netloc = "127.0.0.1:${port}"`,
          `mirror-lfs-netloc = "127.0.0.1:${port}"`,
          `repos-path = ${JSON.stringify(path.join(dir, 'repos'))}`,
          `mirrors-path = [${JSON.stringify(path.join(dir, 'mirrors'))}]`,
          '[accessibility]',
          'offline = true',
        ].join('\n'),
      );
      olah = await startPeer(
        venvBin('olah-cli'),
        ['--config', toml, '--log-path', path.join(dir, 'logs')],
        answers(
          `${endpoint}/api/models/TinyLlama/TinyLlama-1.1B-Chat-v1.0/revision/main`,
        ),
        { cwd: dir },
      );
      provider = new HuggingFaceModelEntityProvider({
        logger,
        hub: new HuggingFaceAdapter(
          new ToolHttpClient({
            tool: 'huggingface',
            baseUrl: endpoint,
            retries: 0,
          }),
        ),
        endpoint,
        repos: [
          {
            repo: 'TinyLlama/TinyLlama-1.1B-Chat-v1.0',
            name: 'tinyllama-1.1b-chat',
          },
          { repo: 'google-bert/bert-base-uncased' },
          {
            repo: 'microsoft/Phi-3-mini-128k-instruct',
            name: 'phi-3-mini-128k',
          },
          { repo: 'openai-community/gpt2' },
        ],
        modelFamilies: DEFAULT_MODEL_FAMILIES,
        defaultOwner: 'group:default/ml-platform',
      });
      await provider.connect(connection);
    });

    afterAll(async () => {
      await olah?.stop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('emits the base models whose config.json family is whitelisted, and logs the one that is not', async () => {
      expect(await provider.refresh()).toEqual({
        type: 'full',
        added: 3,
        removed: 0,
        failures: 0,
      });
      const spec = (name: string) =>
        connection.entities.get(`model:default/${name}`)!.spec;
      expect(spec('tinyllama-1.1b-chat')).toMatchObject({
        type: 'base',
        family: 'llama',
        maxPositionEmbeddings: 2048,
        source: 'hf://TinyLlama/TinyLlama-1.1B-Chat-v1.0',
      });
      expect(spec('bert-base-uncased')).toMatchObject({
        family: 'bert',
        maxPositionEmbeddings: 512,
      });
      expect(spec('phi-3-mini-128k')).toMatchObject({
        family: 'phi',
        maxPositionEmbeddings: 131072,
      });
      expect(
        connection.entities.get('model:default/tinyllama-1.1b-chat')!.metadata
          .annotations!['llmops.dev/hf-sha'],
      ).toMatch(/^[0-9a-f]{40}$/);
      for (const entity of connection.entities.values()) {
        expect((await processEntity(entity)).valid).toBe(true);
      }
      expect(logger.warnings).toEqual([
        expect.stringMatching(
          /^Skipping Hugging Face repo openai-community\/gpt2@main: family 'gpt2' \(config.json model_type 'gpt2'\) is not in the model family whitelist/,
        ),
      ]);
    });

    it('removes nothing while the mirror is down', async () => {
      await olah.stop();
      expect(await provider.refresh()).toEqual({
        type: 'none',
        added: 0,
        removed: 0,
        failures: 4,
      });
      expect(connection.entities.size).toBe(3);
      expect(provider.getHealth()).toMatchObject({
        healthy: false,
        entityCount: 3,
      });
    });
  },
);
