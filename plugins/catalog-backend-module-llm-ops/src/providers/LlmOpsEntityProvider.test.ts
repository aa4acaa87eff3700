import { DEFAULT_MODEL_FAMILIES } from '@llmops/plugin-llm-ops-common';
import type { RegisteredModel } from '@llmops/plugin-llm-ops-node';
import { FakeExperimentTracker } from '../__testUtils__/fakeTools';
import {
  RecordingConnection,
  recordingLogger,
} from '../__testUtils__/recordingConnection';
import { MlflowModelEntityProvider } from './MlflowModelEntityProvider';

const registered = (
  name: string,
  extra: Record<string, string> = {},
): RegisteredModel => ({
  name,
  tags: {
    'llmops.model_family': 'llama',
    'llmops.job_type': 'SFT',
    'llmops.base_model_ref': 'llama-3-8b',
    'llmops.dataset_ref': 'tickets',
    'llmops.dataset_version': 'v1',
    'llmops.max_position_embeddings': '8192',
    'llmops.owner': 'group:default/nlp',
    ...extra,
  },
  aliases: {},
  versions: [{ version: '1', runId: `run-${name}`, status: 'READY' }],
});

// The delta mechanism, through the MLflow provider on an in-memory registry.
describe('LlmOpsEntityProvider', () => {
  const setup = () => {
    const tracker = new FakeExperimentTracker();
    for (const name of ['a', 'b', 'c'])
      tracker.models.set(name, registered(name));
    const connection = new RecordingConnection();
    const provider = new MlflowModelEntityProvider({
      logger: recordingLogger(),
      tracker,
      baseUrl: 'http://mlflow',
      modelFamilies: DEFAULT_MODEL_FAMILIES,
    });
    return { tracker, connection, provider };
  };

  it('refuses to run before the catalog connects it', async () => {
    await expect(setup().provider.refresh()).rejects.toThrow(/not connected/);
  });

  it('sends a full mutation first, then only what changed, and nothing when nothing did', async () => {
    const { tracker, connection, provider } = setup();
    await provider.connect(connection);
    await provider.refresh();
    expect(connection.last()).toEqual({
      type: 'full',
      added: ['model:default/a', 'model:default/b', 'model:default/c'],
      removed: [],
    });
    expect(connection.mutations[0]).toMatchObject({
      entities: [
        { locationKey: 'llm-ops-provider:llm-ops-mlflow-models' },
        { locationKey: 'llm-ops-provider:llm-ops-mlflow-models' },
        { locationKey: 'llm-ops-provider:llm-ops-mlflow-models' },
      ],
    });
    tracker.models.get('b')!.tags!['llmops.dataset_version'] = 'v2';
    tracker.models.set('d', registered('d'));
    tracker.models.delete('c');
    expect(await provider.refresh()).toEqual({
      type: 'delta',
      added: 2,
      removed: 1,
      failures: 0,
    });
    expect(connection.last()).toEqual({
      type: 'delta',
      added: ['model:default/b', 'model:default/d'],
      removed: ['model:default/c'],
    });
    expect(await provider.refresh()).toEqual({
      type: 'none',
      added: 0,
      removed: 0,
      failures: 0,
    });
    expect(connection.mutations).toHaveLength(2);
  });

  it("removes a model that becomes invalid upstream, as it is no longer in the tool's answer", async () => {
    const { tracker, connection, provider } = setup();
    await provider.connect(connection);
    await provider.refresh();
    tracker.models.get('a')!.tags!['llmops.model_family'] = 'gpt2';
    await provider.refresh();
    expect(connection.last()).toEqual({
      type: 'delta',
      added: [],
      removed: ['model:default/a'],
    });
    expect(provider.getHealth().skipped).toEqual([
      {
        item: "MLflow registered model 'a'",
        reason: expect.stringMatching(/family 'gpt2'/),
      },
    ]);
  });

  it('when the tool is down at start, adds nothing and removes nothing, then does the full mutation once it answers', async () => {
    const { tracker, connection, provider } = setup();
    await provider.connect(connection);
    tracker.down = true;
    expect(await provider.refresh()).toEqual({
      type: 'none',
      added: 0,
      removed: 0,
      failures: 1,
    });
    expect(connection.mutations).toHaveLength(0);
    expect(provider.getHealth()).toMatchObject({
      healthy: false,
      lastSuccessAt: undefined,
    });
    tracker.down = false;
    expect(await provider.refresh()).toMatchObject({ type: 'full', added: 3 });
    expect(provider.getHealth()).toMatchObject({
      healthy: true,
      entityCount: 3,
    });
  });

  it('shares one run between concurrent refreshes', async () => {
    const { connection, provider } = setup();
    await provider.connect(connection);
    const [first, second] = await Promise.all([
      provider.refresh(),
      provider.refresh(),
    ]);
    expect(second).toBe(first);
    expect(connection.mutations).toHaveLength(1);
  });
});
