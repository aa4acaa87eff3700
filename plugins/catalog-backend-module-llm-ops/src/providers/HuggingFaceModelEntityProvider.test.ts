import { DEFAULT_MODEL_FAMILIES } from '@llmops/plugin-llm-ops-common';
import { FakeHuggingFaceHub } from '../__testUtils__/fakeTools';
import {
  processEntity,
  RecordingConnection,
  recordingLogger,
} from '../__testUtils__/recordingConnection';
import type {
  HuggingFaceModelSearch,
  HuggingFaceModelSummary,
} from '@llmops/plugin-llm-ops-node';
import {
  HuggingFaceModelEntityProvider,
  HuggingFaceModelEntityProviderOptions,
} from './HuggingFaceModelEntityProvider';

// The Hub is mocked at the interface level (getModelInfo, getConfig): the
// adapter itself is proven against olah in llm-ops-node.
describe('HuggingFaceModelEntityProvider', () => {
  const setup = () => {
    const hub = new FakeHuggingFaceHub();
    hub.repos.set('meta-llama/Meta-Llama-3-8B', {
      sha: 'a1',
      config: { model_type: 'llama', max_position_embeddings: 8192 },
    });
    hub.repos.set('Qwen/Qwen2-7B', {
      sha: 'b2',
      config: { model_type: 'qwen2', max_position_embeddings: 32768 },
    });
    hub.repos.set('microsoft/Phi-3-mini-128k-instruct', {
      sha: 'c3',
      config: { model_type: 'phi3', max_position_embeddings: 131072 },
    });
    hub.repos.set('openai-community/gpt2', {
      sha: 'd4',
      config: { model_type: 'gpt2', n_positions: 1024 },
    });
    const logger = recordingLogger();
    const provider = new HuggingFaceModelEntityProvider({
      logger,
      hub,
      endpoint: 'https://huggingface.co',
      repos: [
        {
          repo: 'meta-llama/Meta-Llama-3-8B',
          name: 'llama-3-8b',
          title: 'Llama 3 8B',
        },
        { repo: 'Qwen/Qwen2-7B', owner: 'group:default/search' },
        { repo: 'microsoft/Phi-3-mini-128k-instruct', revision: 'v1' },
        { repo: 'openai-community/gpt2' },
      ],
      modelFamilies: DEFAULT_MODEL_FAMILIES,
      defaultOwner: 'group:default/ml-platform',
    });
    const connection = new RecordingConnection();
    return { hub, logger, provider, connection };
  };

  it('emits base models with the family and context length of config.json, skipping a family outside the whitelist', async () => {
    const { logger, provider, connection } = setup();
    await provider.connect(connection);
    await provider.refresh();
    expect(connection.last()).toEqual({
      type: 'full',
      added: [
        'model:default/llama-3-8b',
        'model:default/phi-3-mini-128k-instruct',
        'model:default/qwen2-7b',
      ],
      removed: [],
    });
    const qwen = connection.entities.get('model:default/qwen2-7b')!;
    expect(qwen.spec).toEqual({
      type: 'base',
      family: 'qwen',
      owner: 'group:default/search',
      lifecycle: 'production',
      maxPositionEmbeddings: 32768,
      source: 'hf://Qwen/Qwen2-7B',
    });
    expect(
      connection.entities.get('model:default/phi-3-mini-128k-instruct')!.spec,
    ).toMatchObject({
      family: 'phi',
      maxPositionEmbeddings: 131072,
      source: 'hf://microsoft/Phi-3-mini-128k-instruct@v1',
    });
    expect(
      connection.entities.get('model:default/llama-3-8b')!.metadata,
    ).toMatchObject({
      title: 'Llama 3 8B',
      annotations: {
        'llmops.dev/hf-repo': 'meta-llama/Meta-Llama-3-8B',
        'backstage.io/managed-by-location': 'url:https://huggingface.co',
        'backstage.io/managed-by-origin-location': 'url:https://huggingface.co',
      },
    });
    expect(logger.warnings).toEqual([
      expect.stringMatching(
        /^Skipping Hugging Face repo openai-community\/gpt2@main: family 'gpt2' \(config.json model_type 'gpt2'\) is not in the model family whitelist \(llmOps.modelFamilies: llama, mistral/,
      ),
    ]);
    expect(provider.getHealth()).toMatchObject({
      healthy: true,
      entityCount: 3,
      skipped: [{ item: 'Hugging Face repo openai-community/gpt2@main' }],
    });
    for (const entity of connection.entities.values()) {
      const { valid, relations } = await processEntity(entity);
      expect(valid).toBe(true);
      expect(relations).toContain(
        `model:default/${entity.metadata.name} ownedBy ${entity.spec!.owner}`,
      );
    }
  });

  it('keeps the entity of a repo that fails, and removes nothing while the Hub is down', async () => {
    const { hub, logger, provider, connection } = setup();
    await provider.connect(connection);
    await provider.refresh();
    hub.repos.delete('Qwen/Qwen2-7B'); // this one repo now fails
    expect(await provider.refresh()).toEqual({
      type: 'none',
      added: 0,
      removed: 0,
      failures: 1,
    });
    expect(connection.mutations).toHaveLength(1);
    expect(logger.warnings.pop()).toMatch(
      /hf:Qwen\/Qwen2-7B did not answer .*keeping its last entities/,
    );
    hub.down = true;
    expect(await provider.refresh()).toMatchObject({
      type: 'none',
      removed: 0,
      failures: 4,
    });
    expect(provider.getHealth()).toMatchObject({
      healthy: false,
      entityCount: 3,
    });
    expect(connection.entities.size).toBe(3);
  });
});

/** The fake Hub, plus a search over its repos: search, author and tag filters. */
class SearchableHub extends FakeHuggingFaceHub {
  searchDown = false;
  readonly tags = new Map<string, string[]>();
  readonly searches: HuggingFaceModelSearch[] = [];
  async searchModels(
    query: HuggingFaceModelSearch,
  ): Promise<HuggingFaceModelSummary[]> {
    this.searches.push(query);
    this.check('huggingface');
    if (this.searchDown) throw new Error('huggingface: HTTP 500');
    const filters = ([] as string[]).concat(query.filter ?? []);
    return [...this.repos.keys()]
      .filter(
        id =>
          (!query.search ||
            id.toLowerCase().includes(query.search.toLowerCase())) &&
          (!query.author || id.split('/')[0] === query.author) &&
          filters.every(f => this.tags.get(id)?.includes(f)),
      )
      .slice(0, query.limit ?? 100)
      .map(id => ({ id, tags: this.tags.get(id) ?? [] }));
  }
}

describe('HuggingFaceModelEntityProvider with a configured search', () => {
  const setup = (
    options: Partial<HuggingFaceModelEntityProviderOptions> = {},
  ) => {
    const hub = new SearchableHub();
    const add = (id: string, config: object, tags: string[]) => {
      hub.repos.set(id, { sha: id.length.toString(16), config });
      hub.tags.set(id, tags);
    };
    add(
      'meta-llama/Meta-Llama-3-8B',
      { model_type: 'llama', max_position_embeddings: 8192 },
      ['text-generation', 'llama'],
    );
    add(
      'meta-llama/Llama-2-7b-hf',
      { model_type: 'llama', max_position_embeddings: 4096 },
      ['text-generation', 'llama'],
    );
    add(
      'Qwen/Qwen2-7B',
      { model_type: 'qwen2', max_position_embeddings: 32768 },
      ['text-generation', 'qwen2'],
    );
    add('openai-community/gpt2', { model_type: 'gpt2', n_positions: 1024 }, [
      'text-generation',
      'gpt2',
    ]);
    add(
      'google-bert/bert-base-uncased',
      { model_type: 'bert', max_position_embeddings: 512 },
      ['fill-mask', 'bert'],
    );
    const logger = recordingLogger();
    const provider = new HuggingFaceModelEntityProvider({
      logger,
      hub,
      endpoint: 'https://huggingface.co',
      search: [{ filter: 'text-generation' }],
      modelFamilies: DEFAULT_MODEL_FAMILIES,
      defaultOwner: 'group:default/ml-platform',
      ...options,
    });
    const connection = new RecordingConnection();
    return { hub, logger, provider, connection };
  };

  it('emits a base model for each repo the search finds, skipping a family outside the whitelist', async () => {
    const { hub, logger, provider, connection } = setup();
    await provider.connect(connection);
    expect(await provider.refresh()).toEqual({
      type: 'full',
      added: 3,
      removed: 0,
      failures: 0,
    });
    expect(hub.searches).toEqual([{ filter: 'text-generation' }]);
    expect(connection.last().added).toEqual([
      'model:default/llama-2-7b-hf',
      'model:default/meta-llama-3-8b',
      'model:default/qwen2-7b',
    ]);
    expect(connection.entities.get('model:default/qwen2-7b')!.spec).toEqual({
      type: 'base',
      family: 'qwen',
      owner: 'group:default/ml-platform',
      lifecycle: 'production',
      maxPositionEmbeddings: 32768,
      source: 'hf://Qwen/Qwen2-7B',
    });
    expect(logger.warnings).toEqual([
      expect.stringMatching(
        /^Skipping Hugging Face repo openai-community\/gpt2@main: family 'gpt2' .* is not in the model family whitelist/,
      ),
    ]);
    for (const entity of connection.entities.values()) {
      expect((await processEntity(entity)).valid).toBe(true);
    }
  });

  it('joins the configured repos, which win, to several searches, each repo read once', async () => {
    const { hub, provider, connection } = setup({
      repos: [
        {
          repo: 'meta-llama/Meta-Llama-3-8B',
          name: 'llama-3-8b',
          owner: 'group:default/llm',
          lifecycle: 'experimental',
        },
        { repo: 'google-bert/bert-base-uncased' },
      ],
      search: [
        {
          author: 'meta-llama',
          owner: 'group:default/meta-mirror',
          lifecycle: 'deprecated',
        },
        { search: 'qwen', limit: 5 },
        { filter: ['text-generation', 'llama'] },
      ],
    });
    const read = jest.spyOn(hub, 'getModelInfo');
    await provider.connect(connection);
    await provider.refresh();
    expect(hub.searches).toEqual([
      { author: 'meta-llama' },
      { search: 'qwen', limit: 5 },
      { filter: ['text-generation', 'llama'] },
    ]);
    expect(read.mock.calls.map(c => c[0])).toEqual([
      'meta-llama/Meta-Llama-3-8B',
      'google-bert/bert-base-uncased',
      'meta-llama/Llama-2-7b-hf',
      'Qwen/Qwen2-7B',
    ]);
    expect(connection.last().added).toEqual([
      'model:default/bert-base-uncased',
      'model:default/llama-2-7b-hf',
      'model:default/llama-3-8b',
      'model:default/qwen2-7b',
    ]);
    const spec = (name: string) =>
      connection.entities.get(`model:default/${name}`)!.spec;
    expect(spec('llama-3-8b')).toMatchObject({
      owner: 'group:default/llm',
      lifecycle: 'experimental',
    });
    expect(spec('llama-2-7b-hf')).toMatchObject({
      owner: 'group:default/meta-mirror',
      lifecycle: 'deprecated',
    });
    expect(spec('qwen2-7b')).toMatchObject({
      owner: 'group:default/ml-platform',
      lifecycle: 'production',
    });
  });

  it('keeps what a search found while it fails, and drops a repo the search no longer finds', async () => {
    const { hub, logger, provider, connection } = setup();
    await provider.connect(connection);
    await provider.refresh();
    hub.searchDown = true;
    expect(await provider.refresh()).toEqual({
      type: 'none',
      added: 0,
      removed: 0,
      failures: 1,
    });
    expect(connection.entities.size).toBe(3);
    expect(logger.warnings.pop()).toMatch(
      /hf-search\[0\]:filter=text-generation did not answer \(huggingface: HTTP 500\); keeping its last entities/,
    );
    expect(provider.getHealth()).toMatchObject({
      healthy: false,
      entityCount: 3,
      failures: [{ partition: 'hf-search[0]:filter=text-generation' }],
    });
    // what it found last time is still read, so a change still shows
    hub.repos.get('Qwen/Qwen2-7B')!.config.max_position_embeddings = 131072;
    expect(await provider.refresh()).toMatchObject({
      type: 'delta',
      added: 1,
      removed: 0,
    });
    hub.down = true;
    expect(await provider.refresh()).toMatchObject({
      type: 'none',
      removed: 0,
      failures: 5, // the search, and the four repos it found (gpt2 among them)
    });
    expect(connection.entities.size).toBe(3);
    hub.down = false;
    hub.searchDown = false;
    hub.tags.set('Qwen/Qwen2-7B', ['qwen2']);
    expect(await provider.refresh()).toMatchObject({
      type: 'delta',
      added: 0,
      removed: 1,
      failures: 0,
    });
    expect(connection.last().removed).toEqual(['model:default/qwen2-7b']);
  });
});
