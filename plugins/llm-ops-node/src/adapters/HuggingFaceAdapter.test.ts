import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { HuggingFaceAdapter } from './HuggingFaceAdapter';
import { ToolHttpClient } from './ToolHttpClient';
import {
  describePeer,
  fixturesDir,
  python,
  sh,
  tempDir,
  OlahPeer,
  startOlah,
} from '@internal/llmops-test-utils';

jest.setTimeout(180_000);

/** The official client, `huggingface_hub`, pointed at the mirror by HF_ENDPOINT. */
const READER = `
import json, sys
from huggingface_hub import HfApi, hf_hub_download
arg = json.loads(sys.argv[1])
out = []
for repo, rev in arg["pairs"]:
    info = HfApi().model_info(repo, revision=rev)
    with open(hf_hub_download(repo, "config.json", revision=rev)) as f:
        config = json.load(f)
    fields = {
        "id": info.id, "sha": info.sha, "private": info.private,
        "pipelineTag": info.pipeline_tag, "tags": info.tags or [],
        "files": sorted(s.rfilename for s in info.siblings), "config": config,
    }
    out.append({k: v for k, v in fields.items() if v is not None})
print(json.dumps(out))
`;

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

describePeer(
  'HuggingFaceAdapter against an olah mirror of local model repos',
  () => {
    const signal = new AbortController().signal;
    let dir: string;
    let peer: OlahPeer;
    let endpoint: string;
    let adapter: HuggingFaceAdapter;
    /** repo id → expected context length, from the config-examples fixtures. */
    const repos: Record<string, number> = {};

    /** A model repo at `mirrors/models/org/name`, as olah's mirror mode reads it. */
    async function modelRepo(repoId: string, config: object) {
      const repoDir = path.join(dir, 'mirrors/models', repoId);
      fs.mkdirSync(repoDir, { recursive: true });
      const git = (...args: string[]) =>
        sh('git', args, { cwd: repoDir, env: GIT_ENV });
      await git('init', '-q', '-b', 'main');
      fs.writeFileSync(
        path.join(repoDir, 'README.md'),
        '---\nlicense: apache-2.0\n---\n# test model\n',
      );
      fs.writeFileSync(
        path.join(repoDir, 'config.json'),
        JSON.stringify(config, null, 2),
      );
      await git('add', '-A');
      await git('commit', '-q', '-m', 'config');
      return git;
    }

    beforeAll(async () => {
      dir = tempDir('olah');
      const examples = path.join(fixturesDir(), 'huggingface/config-examples');
      for (const file of fs.readdirSync(examples)) {
        const repoId = file
          .replace(/(\.resaved)?\.config\.json$/, '')
          .replace('__', '/');
        const config = JSON.parse(
          fs.readFileSync(path.join(examples, file), 'utf8'),
        );
        repos[repoId] = config.max_position_embeddings ?? config.n_positions;
        const git = await modelRepo(repoId, config);
        if (config.model_type === 'llama') {
          // a tagged first version, then a longer context on main
          await git('tag', 'v1.0');
          const changed = { ...config, max_position_embeddings: 4096 };
          fs.writeFileSync(
            path.join(dir, 'mirrors/models', repoId, 'config.json'),
            JSON.stringify(changed),
          );
          await git('commit', '-q', '-am', 'longer context');
        }
      }
      peer = await startOlah(dir, 'TinyLlama/TinyLlama-1.1B-Chat-v1.0');
      endpoint = peer.endpoint;
      adapter = new HuggingFaceAdapter(
        new ToolHttpClient({ tool: 'huggingface', baseUrl: endpoint }),
      );
    });

    afterAll(async () => {
      await peer?.stop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    const reference = (pairs: Array<[string, string]>) =>
      python<Array<Record<string, any>>>(
        READER,
        { pairs },
        {
          HF_ENDPOINT: endpoint,
          HF_HOME: path.join(dir, 'hf-home'),
          HF_HUB_DISABLE_TELEMETRY: '1',
        },
      );

    it('answers ping', async () => {
      await expect(adapter.ping(signal)).resolves.toBeUndefined();
    });

    it('reads the same model info and config.json as huggingface_hub', async () => {
      const pairs: Array<[string, string]> = [
        ...Object.keys(repos).map(id => [id, 'main'] as [string, string]),
        ['TinyLlama/TinyLlama-1.1B-Chat-v1.0', 'v1.0'],
      ];
      expect(pairs).toHaveLength(5);
      const expected = await reference(pairs);
      for (const [i, [repoId, revision]] of pairs.entries()) {
        const info = await adapter.getModelInfo(repoId, signal, revision);
        const config = await adapter.getConfig(repoId, signal, revision);
        const { config: raw, files, ...fields } = expected[i];
        expect({ ...info, files: [...info.files].sort() }).toMatchObject({
          ...fields,
          files,
        });
        expect(config.raw).toEqual(raw);
        expect(config.family).toBe(raw.model_type);
      }
    });

    it('takes the context length from config.json, per revision', async () => {
      const length = async (repoId: string, revision?: string) =>
        (await adapter.getConfig(repoId, signal, revision))
          .maxPositionEmbeddings;
      expect(await length('openai-community/gpt2')).toBe(1024); // n_positions
      expect(await length('microsoft/Phi-3-mini-128k-instruct')).toBe(131072);
      expect(await length('google-bert/bert-base-uncased')).toBe(512);
      expect(await length('TinyLlama/TinyLlama-1.1B-Chat-v1.0', 'v1.0')).toBe(
        2048,
      );
      expect(await length('TinyLlama/TinyLlama-1.1B-Chat-v1.0')).toBe(4096);
      expect(repos['TinyLlama/TinyLlama-1.1B-Chat-v1.0']).toBe(2048);
    });

    it('resolves hf:// references to the commit the official client sees', async () => {
      const repoId = 'TinyLlama/TinyLlama-1.1B-Chat-v1.0';
      const [main, v1] = await reference([
        [repoId, 'main'],
        [repoId, 'v1.0'],
      ]);
      expect(await adapter.resolveRef(`hf://${repoId}`, signal)).toEqual({
        repoId,
        revision: 'main',
        sha: main.sha,
      });
      expect(await adapter.resolveRef(`hf://${repoId}@v1.0`, signal)).toEqual({
        repoId,
        revision: 'v1.0',
        sha: v1.sha,
      });
      expect(main.sha).not.toBe(v1.sha);
      await expect(
        adapter.resolveRef('hf://not a repo', signal),
      ).rejects.toThrow(/hf:\/\/org\/name/);
    });

    it('reports an unknown model as a 404 ToolError from huggingface', async () => {
      const error = await adapter
        .getModelInfo('nobody/nothing', signal)
        .catch(e => e);
      expect(error.name).toBe('ToolError');
      expect(error.statusCode).toBe(404);
      expect(error.data).toEqual({ tool: 'huggingface', reason: 'not-found' });
      const missingRevision = await adapter
        .getConfig('openai-community/gpt2', signal, 'no-such-rev')
        .catch(e => e);
      expect(missingRevision.name).toBe('ToolError');
      expect(missingRevision.statusCode).toBe(404);
    });
  },
);

describe('HuggingFaceAdapter.searchModels', () => {
  const signal = new AbortController().signal;
  let server: http.Server;
  let baseUrl: string;
  const requests: Array<{ url: string; authorization?: string }> = [];
  /** 5 models, `size` a page; the next link is on `linkHost`. */
  let size = 2;
  let linkHost = '';
  let status = 200;

  beforeAll(async () => {
    const ids = ['a/one', 'a/two', 'b/three', 'b/four', 'c/five'];
    server = http.createServer((req, res) => {
      requests.push({
        url: req.url!,
        authorization: req.headers.authorization,
      });
      if (status !== 200) {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'Internal Error' }));
        return;
      }
      const url = new URL(req.url!, baseUrl);
      const offset = Number(url.searchParams.get('cursor') ?? 0);
      const pageSize = Math.min(
        Number(url.searchParams.get('limit') ?? 1000),
        size,
      );
      const page = ids.slice(offset, offset + pageSize);
      const headers: http.OutgoingHttpHeaders = {
        'content-type': 'application/json',
      };
      if (offset + pageSize < ids.length) {
        const next = new URL(`${linkHost || baseUrl}${req.url}`);
        next.searchParams.set('cursor', String(offset + pageSize));
        headers.link = `<${next}>; rel="next", <${baseUrl}/api/models>; rel="first"`;
      }
      res.writeHead(200, headers);
      res.end(
        JSON.stringify(
          page.map((id, i) => ({
            _id: `${offset + i}`,
            // the Hub's older listings name it modelId only
            ...(i % 2 ? { id } : { modelId: id }),
            tags: ['text-generation'],
            pipeline_tag: 'text-generation',
            library_name: 'transformers',
            private: false,
            likes: 3,
            downloads: 7,
            createdAt: '2024-01-01T00:00:00.000Z',
          })),
        ),
      );
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise(r => server.close(r)));

  beforeEach(() => {
    requests.length = 0;
    size = 2;
    linkHost = '';
    status = 200;
  });

  const adapter = () =>
    new HuggingFaceAdapter(
      new ToolHttpClient({
        tool: 'huggingface',
        baseUrl,
        auth: { type: 'bearer', token: 'hf_secret' },
        retries: 0,
      }),
    );

  it('sends the query, follows the Link pages, and sends the token on each', async () => {
    const found = await adapter().searchModels(
      {
        author: 'acme',
        search: 'llama',
        filter: ['text-generation', 'license:mit'],
      },
      signal,
    );
    expect(found.map(m => m.id)).toEqual([
      'a/one',
      'a/two',
      'b/three',
      'b/four',
      'c/five',
    ]);
    expect(found[0]).toEqual({
      id: 'a/one',
      tags: ['text-generation'],
      pipelineTag: 'text-generation',
      libraryName: 'transformers',
      private: false,
      likes: 3,
      downloads: 7,
      createdAt: '2024-01-01T00:00:00.000Z',
    });
    expect(requests.map(r => r.url)).toEqual([
      '/api/models?author=acme&search=llama&filter=text-generation&filter=license%3Amit&limit=100&full=false',
      '/api/models?author=acme&search=llama&filter=text-generation&filter=license%3Amit&limit=100&full=false&cursor=2',
      '/api/models?author=acme&search=llama&filter=text-generation&filter=license%3Amit&limit=100&full=false&cursor=4',
    ]);
    expect(requests.every(r => r.authorization === 'Bearer hf_secret')).toBe(
      true,
    );
  });

  it('stops at the limit, without asking for a page it does not need', async () => {
    const found = await adapter().searchModels({ limit: 3 }, signal);
    expect(found.map(m => m.id)).toEqual(['a/one', 'a/two', 'b/three']);
    expect(requests).toHaveLength(2);
    size = 10;
    expect(await adapter().searchModels({ limit: 1 }, signal)).toHaveLength(1);
    expect(requests[2].url).toBe('/api/models?limit=1&full=false');
  });

  it('asks the configured endpoint for a next page linked on another host', async () => {
    linkHost = 'https://elsewhere.example.com';
    const found = await adapter().searchModels({ filter: 'x' }, signal);
    expect(found).toHaveLength(5);
    expect(requests).toHaveLength(3);
  });

  it('refuses a limit outside 1 to 1000, and fails as the Hub does', async () => {
    await expect(
      adapter().searchModels({ limit: 1001 }, signal),
    ).rejects.toThrow(/integer from 1 to 1000/);
    await expect(adapter().searchModels({ limit: 0 }, signal)).rejects.toThrow(
      /integer from 1 to 1000/,
    );
    expect(requests).toEqual([]);
    status = 500;
    await expect(adapter().searchModels({}, signal)).rejects.toMatchObject({
      data: { tool: 'huggingface' },
      message: expect.stringContaining('Internal Error'),
    });
  });
});
