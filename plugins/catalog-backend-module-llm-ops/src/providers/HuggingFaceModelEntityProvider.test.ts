import { DEFAULT_MODEL_FAMILIES } from '@llmops/plugin-llm-ops-common';
import { FakeHuggingFaceHub } from '../__testUtils__/fakeTools';
import {
  processEntity,
  RecordingConnection,
  recordingLogger,
} from '../__testUtils__/recordingConnection';
import { HuggingFaceModelEntityProvider } from './HuggingFaceModelEntityProvider';

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
