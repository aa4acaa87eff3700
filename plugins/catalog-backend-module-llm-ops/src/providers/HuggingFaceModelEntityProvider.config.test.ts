import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SchedulerService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import {
  RecordingConnection,
  recordingLogger,
} from '../__testUtils__/recordingConnection';
import { createLlmOpsToolsService } from '@llmops/plugin-llm-ops-node';
import { createProvidersFromConfig } from './createProvidersFromConfig';

const schedule = { frequency: { minutes: 30 }, timeout: { minutes: 3 } };

// catalog.providers.llmOpsHuggingFace.search, read from config, against a
// small Hub: /api/models by author, a repo's info and its config.json.
describe('catalog.providers.llmOpsHuggingFace.search', () => {
  let server: http.Server;
  let endpoint: string;
  const requests: Array<{ url: string; authorization?: string }> = [];
  const repos: Record<string, object> = {
    'acme/llama-a': { model_type: 'llama', max_position_embeddings: 8192 },
    'acme/mistral-b': { model_type: 'mistral', max_position_embeddings: 32768 },
    'other/qwen-c': { model_type: 'qwen2', max_position_embeddings: 32768 },
  };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      requests.push({
        url: req.url!,
        authorization: req.headers.authorization,
      });
      const url = new URL(req.url!, endpoint);
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (url.pathname === '/api/models') {
        const author = url.searchParams.get('author');
        const ids = Object.keys(repos).filter(
          id => !author || id.startsWith(`${author}/`),
        );
        json(
          200,
          ids
            .slice(0, Number(url.searchParams.get('limit')))
            .map(id => ({ _id: id, id, tags: [] })),
        );
        return;
      }
      const info = /^\/api\/models\/(.+)\/revision\/main$/.exec(url.pathname);
      if (info && repos[info[1]]) {
        json(200, { id: info[1], sha: 'f'.repeat(40) });
        return;
      }
      const config = /^\/(.+)\/resolve\/main\/config\.json$/.exec(url.pathname);
      if (config && repos[config[1]]) {
        json(200, repos[config[1]]);
        return;
      }
      json(404, { error: 'Repository not found' });
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise(r => server.close(r)));

  const create = (hf: object) => {
    const logger = recordingLogger();
    const scheduler = {
      createScheduledTaskRunner: jest.fn(() => ({ run: jest.fn() })),
    } as unknown as SchedulerService;
    const config = new ConfigReader({
        llmOps: {
          integrations: {
            huggingface: { endpoint, token: 'hf_secret', retries: 0 },
          },
        },
        catalog: {
          providers: {
            llmOpsHuggingFace: {
              schedule,
              defaultOwner: 'group:default/ml-platform',
              ...hf,
            },
          },
        },
      });
    const tools = createLlmOpsToolsService(config);
    tools.markStarted();
    const providers = createProvidersFromConfig({
      config,
      logger,
      scheduler,
      tools,
    });
    return { providers, logger };
  };

  it('reads one search, or a list of them, with the listed repos winning', async () => {
    requests.length = 0;
    const { providers } = create({
      repos: [{ repo: 'acme/llama-a', name: 'llama-a-main' }],
      search: [
        { author: 'acme', limit: 5, owner: 'group:default/acme' },
        { author: 'other', filter: 'text-generation' },
      ],
    });
    expect(providers.map(p => p.getProviderName())).toEqual([
      'llm-ops-huggingface-models',
    ]);
    const connection = new RecordingConnection();
    await providers[0].connect(connection);
    expect(await providers[0].refresh()).toMatchObject({
      type: 'full',
      added: 3,
      failures: 0,
    });
    expect(
      [...connection.entities.values()].map(e => [
        e.metadata.name,
        e.spec!.owner,
      ]),
    ).toEqual([
      ['llama-a-main', 'group:default/ml-platform'],
      ['mistral-b', 'group:default/acme'],
      ['qwen-c', 'group:default/ml-platform'],
    ]);
    const searches = requests.filter(r => r.url.startsWith('/api/models?'));
    expect(searches.map(r => r.url)).toEqual([
      '/api/models?author=acme&limit=5&full=false',
      '/api/models?author=other&filter=text-generation&limit=100&full=false',
    ]);
    expect(searches.every(r => r.authorization === 'Bearer hf_secret')).toBe(
      true,
    );

    const single = create({ search: { author: 'other' } }).providers[0];
    await single.connect(new RecordingConnection());
    expect(await single.refresh()).toMatchObject({ type: 'full', added: 1 });
  });

  it('refuses a malformed search, naming the key', () => {
    const key = 'catalog.providers.llmOpsHuggingFace.search';
    expect(() => create({ search: [{ limit: 1001 }] })).toThrow(
      `${key}[0].limit must be an integer from 1 to 1000`,
    );
    expect(() => create({ search: { limit: 2.5 } })).toThrow(
      `${key}.limit must be an integer from 1 to 1000`,
    );
    expect(() => create({ search: { filter: [1] } })).toThrow(
      `${key}.filter must be a tag or a list of tags`,
    );
    expect(() => create({ search: [{}, { sort: 'likes' }] })).toThrow(
      `${key}[1] has an unknown key 'sort'`,
    );
    expect(() => create({ search: ['meta-llama'] })).toThrow(
      `${key}[0] must be an object`,
    );
  });

  it('warns when neither repos nor a search is listed', () => {
    const { providers, logger } = create({});
    expect(providers).toHaveLength(1);
    expect(logger.warnings).toEqual([
      'catalog.providers.llmOpsHuggingFace lists neither repos nor a search; the provider emits nothing',
    ]);
  });
});
