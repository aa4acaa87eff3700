import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { DEFAULT_MODEL_FAMILIES } from '@llmops/plugin-llm-ops-common';
import {
  HuggingFaceAdapter,
  ToolHttpClient,
} from '@llmops/plugin-llm-ops-node';
import {
  describePeer,
  fixturesDir,
  OlahPeer,
  python,
  startOlah,
  tempDir,
} from '@internal/llmops-test-utils';
import {
  HubSearch,
  startHubSearch,
} from '../__testUtils__/huggingFaceHubSearch';
import {
  processEntity,
  RecordingConnection,
  recordingLogger,
} from '../__testUtils__/recordingConnection';
import { HuggingFaceModelEntityProvider } from './HuggingFaceModelEntityProvider';

jest.setTimeout(180_000);

/** Each fixture repo's model card front matter, for the Hub's tags. */
const CARDS: Record<string, string> = {
  'TinyLlama/TinyLlama-1.1B-Chat-v1.0':
    'license: apache-2.0\nlanguage: [en]\npipeline_tag: text-generation\nlibrary_name: transformers\ntags: [conversational]',
  'google-bert/bert-base-uncased':
    'license: apache-2.0\nlanguage: en\npipeline_tag: fill-mask\nlibrary_name: transformers\ntags: [exbert]',
  'microsoft/Phi-3-mini-128k-instruct':
    'license: mit\nlanguage: [en]\npipeline_tag: text-generation\nlibrary_name: transformers\ntags: [nlp, code, conversational]',
  'openai-community/gpt2':
    'license: mit\nlanguage: en\npipeline_tag: text-generation\nlibrary_name: transformers\ntags: [exbert]',
};

/** The official client's `HfApi.list_models`, for each query. */
const LISTER = `
import json, sys
from huggingface_hub import HfApi
arg = json.loads(sys.argv[1])
api = HfApi(endpoint=arg["endpoint"], token=False)
out = []
for query in arg["queries"]:
    models = []
    for m in api.list_models(**query):
        fields = {"id": m.id, "tags": m.tags, "pipelineTag": m.pipeline_tag,
                  "libraryName": m.library_name, "private": m.private}
        models.append({k: v for k, v in fields.items() if v is not None})
    out.append(models)
print(json.dumps(out))
`;

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
    let olah: OlahPeer;
    let endpoint: string;
    const logger = recordingLogger();
    const connection = new RecordingConnection();
    let provider: HuggingFaceModelEntityProvider;
    /** The Hub's `/api/models` search in front of olah, two models a page. */
    let hub: HubSearch;
    const searchLogger = recordingLogger();
    const searchConnection = new RecordingConnection();
    let searching: HuggingFaceModelEntityProvider;

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
        fs.writeFileSync(
          path.join(repoDir, 'README.md'),
          `---\n${CARDS[repoId] ?? ''}\n---\n# ${repoId}\n`,
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
      olah = await startOlah(dir, 'TinyLlama/TinyLlama-1.1B-Chat-v1.0');
      endpoint = olah.endpoint;
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

      hub = await startHubSearch({
        upstream: endpoint,
        reposDir: path.join(dir, 'mirrors/models'),
        maxPageSize: 2,
      });
      searching = new HuggingFaceModelEntityProvider({
        logger: searchLogger,
        hub: new HuggingFaceAdapter(
          new ToolHttpClient({
            tool: 'huggingface',
            baseUrl: hub.endpoint,
            retries: 0,
          }),
        ),
        endpoint: hub.endpoint,
        search: [{ filter: 'text-generation' }],
        modelFamilies: DEFAULT_MODEL_FAMILIES,
        defaultOwner: 'group:default/ml-platform',
      });
      await searching.connect(searchConnection);
    });

    afterAll(async () => {
      await hub?.stop();
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

    it("searches the Hub as huggingface_hub's list_models does, across pages", async () => {
      const adapter = new HuggingFaceAdapter(
        new ToolHttpClient({ tool: 'huggingface', baseUrl: hub.endpoint }),
      );
      const queries: Array<{
        author?: string;
        search?: string;
        filter?: string | string[];
        limit?: number;
      }> = [
        {},
        { filter: 'text-generation' },
        { filter: ['text-generation', 'conversational'] },
        { filter: 'license:mit' },
        { search: 'PHI-3' },
        { search: 'b', filter: 'exbert' },
        { author: 'openai-community' },
        { author: 'microsoft', search: 'mini', filter: 'phi3' },
        { limit: 3 },
        { filter: 'text-generation', limit: 1 },
        { search: 'no-such-model' },
      ];
      hub.requests = [];
      const expected = await python<Array<Array<Record<string, unknown>>>>(
        LISTER,
        { endpoint: hub.endpoint, queries },
        {
          HF_HOME: path.join(dir, 'hf-home'),
          HF_HUB_DISABLE_TELEMETRY: '1',
        },
      );
      // the official client followed the Hub's Link header to a next page
      expect(hub.requests.filter(r => r.includes('cursor='))).not.toEqual([]);
      const signal = new AbortController().signal;
      hub.requests = [];
      for (const [i, query] of queries.entries()) {
        const found = await adapter.searchModels(query, signal);
        expect({ query, models: found.map(m => m.id) }).toEqual({
          query,
          models: expected[i].map(m => m.id),
        });
        expect(found).toEqual(expected[i].map(m => expect.objectContaining(m)));
      }
      expect(hub.requests.filter(r => r.includes('cursor='))).not.toEqual([]);
      expect(hub.requests[0]).toBe('/api/models?limit=100&full=false');
      // the ids, and a search across the page boundary of two
      expect(expected[0].map(m => m.id)).toEqual([
        'TinyLlama/TinyLlama-1.1B-Chat-v1.0',
        'google-bert/bert-base-uncased',
        'microsoft/Phi-3-mini-128k-instruct',
        'openai-community/gpt2',
      ]);
      expect(expected[1].map(m => m.id)).toEqual([
        'TinyLlama/TinyLlama-1.1B-Chat-v1.0',
        'microsoft/Phi-3-mini-128k-instruct',
        'openai-community/gpt2',
      ]);
      expect(expected[2]).toHaveLength(2);
      expect(expected[4].map(m => m.id)).toEqual([
        'microsoft/Phi-3-mini-128k-instruct',
      ]);
      expect(expected[8]).toHaveLength(3);
      expect(expected[9]).toHaveLength(1);
      expect(expected[10]).toEqual([]);
      expect(expected[1][0]).toMatchObject({
        pipelineTag: 'text-generation',
        libraryName: 'transformers',
        tags: expect.arrayContaining(['conversational', 'llama']),
      });
    });

    it('emits the base models that a configured search finds, and logs the one outside the whitelist', async () => {
      expect(await searching.refresh()).toEqual({
        type: 'full',
        added: 2,
        removed: 0,
        failures: 0,
      });
      expect(searchConnection.last().added).toEqual([
        'model:default/phi-3-mini-128k-instruct',
        'model:default/tinyllama-1.1b-chat-v1.0',
      ]);
      const entity = (name: string) =>
        searchConnection.entities.get(`model:default/${name}`)!;
      expect(entity('tinyllama-1.1b-chat-v1.0').spec).toEqual({
        type: 'base',
        family: 'llama',
        owner: 'group:default/ml-platform',
        lifecycle: 'production',
        maxPositionEmbeddings: 2048,
        source: 'hf://TinyLlama/TinyLlama-1.1B-Chat-v1.0',
      });
      expect(entity('phi-3-mini-128k-instruct').spec).toMatchObject({
        family: 'phi',
        maxPositionEmbeddings: 131072,
        source: 'hf://microsoft/Phi-3-mini-128k-instruct',
      });
      expect(
        entity('phi-3-mini-128k-instruct').metadata.annotations,
      ).toMatchObject({
        'llmops.dev/hf-repo': 'microsoft/Phi-3-mini-128k-instruct',
        'llmops.dev/hf-sha': expect.stringMatching(/^[0-9a-f]{40}$/),
      });
      for (const e of searchConnection.entities.values()) {
        expect((await processEntity(e)).valid).toBe(true);
      }
      expect(searchLogger.warnings).toEqual([
        expect.stringMatching(
          /^Skipping Hugging Face repo openai-community\/gpt2@main: family 'gpt2' \(config.json model_type 'gpt2'\) is not in the model family whitelist/,
        ),
      ]);
      // the search crossed a page boundary (two models a page)
      expect(hub.requests.filter(r => r.includes('cursor='))).not.toEqual([]);
    });

    it('keeps what a search found while the search fails', async () => {
      searchLogger.warnings.length = 0;
      hub.failing = true;
      expect(await searching.refresh()).toEqual({
        type: 'none',
        added: 0,
        removed: 0,
        failures: 1,
      });
      expect(searchConnection.entities.size).toBe(2);
      expect(searchLogger.warnings).toContainEqual(
        expect.stringMatching(
          /hf-search\[0\]:filter=text-generation did not answer \(huggingface: .*\); keeping its last entities/,
        ),
      );
      expect(searching.getHealth()).toMatchObject({
        healthy: false,
        entityCount: 2,
        failures: [{ partition: 'hf-search[0]:filter=text-generation' }],
      });
      hub.failing = false;
      expect(await searching.refresh()).toEqual({
        type: 'none',
        added: 0,
        removed: 0,
        failures: 0,
      });
      expect(searching.getHealth()).toMatchObject({ healthy: true });
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
      // the search cannot list (its models' metadata is olah's) nor read
      expect(await searching.refresh()).toMatchObject({
        type: 'none',
        removed: 0,
      });
      expect(searchConnection.entities.size).toBe(2);
    });
  },
);
