import { DEFAULT_MODEL_FAMILIES } from '@llmops/plugin-llm-ops-common';
import { MlflowAdapter, ToolHttpClient } from '@llmops/plugin-llm-ops-node';
import {
  describePeer,
  MlflowPeer,
  python,
  startMlflow,
} from '@internal/llmops-test-utils';
import {
  processEntity,
  RecordingConnection,
  recordingLogger,
} from '../__testUtils__/recordingConnection';
import { MlflowModelEntityProvider } from './MlflowModelEntityProvider';

jest.setTimeout(300_000);

/** MLflow's own Python client, writing the registry the provider reads. */
const REGISTRY = `
import json, sys
from mlflow import MlflowClient
arg = json.loads(sys.argv[1])
c = MlflowClient(arg["uri"])
if arg["op"] == "register":
    exp = c.get_experiment_by_name("llmops-train")
    eid = exp.experiment_id if exp else c.create_experiment("llmops-train")
    if not c.search_registered_models("name = '%s'" % arg["name"]):
        c.create_registered_model(arg["name"], tags=arg.get("tags", {}), description=arg.get("description"))
    run = c.create_run(eid, tags=arg.get("run_tags", arg.get("version_tags", {})))
    v = c.create_model_version(arg["name"], "runs:/%s/model" % run.info.run_id, run.info.run_id, tags=arg.get("version_tags", {}))
    for alias in arg.get("aliases", []):
        c.set_registered_model_alias(arg["name"], alias, v.version)
    out = {"version": v.version, "runId": run.info.run_id}
elif arg["op"] == "delete":
    c.delete_registered_model(arg["name"])
    out = True
print(json.dumps(out))
`;

const lineage = (extra: Record<string, string> = {}) => ({
  'llmops.model_family': 'llama',
  'llmops.job_type': 'SFT',
  'llmops.base_model_ref': 'llama-3-8b',
  'llmops.dataset_ref': 'dataset:default/support-tickets-sft',
  'llmops.dataset_version': 'v2',
  'llmops.max_position_embeddings': '8192',
  'llmops.owner': 'group:default/nlp',
  ...extra,
});

describePeer('MlflowModelEntityProvider against a real MLflow registry', () => {
  let mlflow: MlflowPeer;
  const registry = <T>(input: object) =>
    python<T>(REGISTRY, { uri: mlflow.uri, ...input });
  const logger = recordingLogger();
  const connection = new RecordingConnection();
  let provider: MlflowModelEntityProvider;
  let support: Array<{ version: string; runId: string }>;

  beforeAll(async () => {
    mlflow = await startMlflow();
    support = [
      await registry({
        op: 'register',
        name: 'support-assistant',
        description: 'Answers support tickets',
        tags: lineage(),
        version_tags: { 'llmops.job_id': 'job-1' },
        aliases: ['champion'],
      }),
      await registry({
        op: 'register',
        name: 'support-assistant',
        version_tags: {
          'llmops.dataset_version': 'v3',
          'llmops.job_id': 'job-2',
        },
        aliases: ['challenger'],
      }),
    ];
    await registry({
      op: 'register',
      name: 'docs-rag',
      tags: lineage({
        'llmops.model_family': 'mistral',
        'llmops.job_type': 'RAG_TUNING',
        'llmops.base_model_ref': 'model:default/mistral-7b',
        'llmops.dataset_ref': 'product-docs-qa',
        'llmops.owner': 'group:default/search',
      }),
    });
    await registry({
      op: 'register',
      name: 'no-context-length',
      tags: lineage({ 'llmops.max_position_embeddings': '' }),
    });
    await registry({
      op: 'register',
      name: 'gpt-j-sft',
      tags: lineage({ 'llmops.model_family': 'gptj' }),
    });
    provider = new MlflowModelEntityProvider({
      logger,
      tracker: new MlflowAdapter(
        new ToolHttpClient({
          tool: 'mlflow',
          baseUrl: mlflow.uri,
          retries: 0,
          // a just-restarted, single-worker MLflow answers the provider's
          // concurrent version reads slowly on a loaded machine
          timeoutMs: 20_000,
        }),
      ),
      baseUrl: mlflow.uri,
      modelFamilies: DEFAULT_MODEL_FAMILIES,
      pageSize: 2, // exercise paging
    });
    await provider.connect(connection);
  });

  afterAll(async () => {
    await mlflow?.stop();
  });

  it('emits one Model per registered model, describing the champion version and listing every version', async () => {
    expect(await provider.refresh()).toEqual({
      type: 'full',
      added: 2,
      removed: 0,
      failures: 0,
    });
    expect(connection.last().added).toEqual([
      'model:default/docs-rag',
      'model:default/support-assistant',
    ]);
    const entity = connection.entities.get('model:default/support-assistant')!;
    expect(entity.metadata).toMatchObject({
      title: 'support-assistant',
      description: 'Answers support tickets',
      annotations: {
        'llmops.dev/mlflow-model': 'support-assistant',
        'backstage.io/managed-by-location': `url:${mlflow.uri}/#/models`,
        'backstage.io/managed-by-origin-location': `url:${mlflow.uri}/#/models`,
      },
    });
    expect(entity.spec).toEqual({
      type: 'fine-tuned',
      family: 'llama',
      owner: 'group:default/nlp',
      lifecycle: 'production',
      maxPositionEmbeddings: 8192,
      source: 'mlflow://models/support-assistant/1',
      jobType: 'SFT',
      baseModel: 'model:default/llama-3-8b',
      trainedOn: [
        { dataset: 'dataset:default/support-tickets-sft', version: 'v2' },
      ],
      trainingJob: 'job-1',
      registry: {
        currentVersion: '1',
        aliases: { champion: '1', challenger: '2' },
        versions: support.map(v => ({
          version: v.version,
          status: 'READY',
          runId: v.runId,
          source: `runs:/${v.runId}/model`,
          createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        })),
      },
    });
    expect(await processEntity(entity)).toEqual({
      valid: true,
      relations: [
        'model:default/support-assistant ownedBy group:default/nlp',
        'group:default/nlp ownerOf model:default/support-assistant',
        'model:default/support-assistant derivedFrom model:default/llama-3-8b',
        'model:default/llama-3-8b baseOf model:default/support-assistant',
        'model:default/support-assistant trainedOn dataset:default/support-tickets-sft',
        'dataset:default/support-tickets-sft trained model:default/support-assistant',
      ],
    });
    const docs = connection.entities.get('model:default/docs-rag')!;
    // no alias: the newest READY version, and the run id as the training job
    expect(docs.spec).toMatchObject({
      lifecycle: 'experimental',
      source: 'mlflow://models/docs-rag/1',
      trainedOn: [
        { dataset: 'dataset:default/product-docs-qa', version: 'v2' },
      ],
      trainingJob: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect((await processEntity(docs)).valid).toBe(true);
    expect(logger.warnings).toEqual([
      "Skipping MLflow registered model 'gpt-j-sft': family 'gptj' is not in the model family whitelist (llmOps.modelFamilies: llama, mistral, mixtral, gemma, qwen, phi, falcon, bert, roberta)",
      "Skipping MLflow registered model 'no-context-length': tag llmops.max_position_embeddings is missing on the model and on version 1",
    ]);
  });

  it('adds only the registered model that appears upstream, and removes only the one deleted', async () => {
    await registry({
      op: 'register',
      name: 'tone-aligned',
      tags: lineage({ 'llmops.job_type': 'RLHF' }),
    });
    expect(await provider.refresh()).toMatchObject({
      type: 'delta',
      added: 1,
      removed: 0,
    });
    expect(connection.last()).toEqual({
      type: 'delta',
      added: ['model:default/tone-aligned'],
      removed: [],
    });

    // a new version moves nothing else
    await registry({ op: 'register', name: 'tone-aligned' });
    await provider.refresh();
    expect(connection.last()).toEqual({
      type: 'delta',
      added: ['model:default/tone-aligned'],
      removed: [],
    });
    expect(
      connection.entities.get('model:default/tone-aligned')!.spec!.source,
    ).toBe('mlflow://models/tone-aligned/2');

    await registry({ op: 'delete', name: 'docs-rag' });
    await provider.refresh();
    expect(connection.last()).toEqual({
      type: 'delta',
      added: [],
      removed: ['model:default/docs-rag'],
    });

    const mutations = connection.mutations.length;
    expect(await provider.refresh()).toEqual({
      type: 'none',
      added: 0,
      removed: 0,
      failures: 0,
    });
    expect(connection.mutations).toHaveLength(mutations);
  });

  it('removes nothing while MLflow is down, and carries on when it is back', async () => {
    const before = [...connection.entities.keys()].sort();
    const mutations = connection.mutations.length;
    await mlflow.stop();
    expect(await provider.refresh()).toEqual({
      type: 'none',
      added: 0,
      removed: 0,
      failures: 1,
    });
    expect(connection.mutations).toHaveLength(mutations);
    expect([...connection.entities.keys()].sort()).toEqual(before);
    expect(logger.warnings.pop()).toMatch(
      /^llm-ops-mlflow-models: the tool did not answer \(mlflow: .*\); keeping its last entities in the catalog$/,
    );
    expect(provider.getHealth()).toMatchObject({
      healthy: false,
      entityCount: before.length,
      failures: [{ partition: '*' }],
    });

    mlflow = await startMlflow({ port: mlflow.port, dir: mlflow.dir });
    expect(await provider.refresh()).toEqual({
      type: 'none',
      added: 0,
      removed: 0,
      failures: 0,
    });
    expect(provider.getHealth()).toMatchObject({ healthy: true });
  });

  it("takes a version's lineage from the tags of the run it was registered from, as a portal job's run carries them", async () => {
    // a job the portal did not start, but whose training code follows the tag contract
    const { runId } = await registry<{ runId: string }>({
      op: 'register',
      name: 'run-tagged',
      run_tags: lineage({ 'llmops.job_id': 'job-from-elsewhere' }),
    });
    await provider.refresh();
    const entity = connection.entities.get('model:default/run-tagged')!;
    expect(entity.spec).toMatchObject({
      family: 'llama',
      owner: 'group:default/nlp',
      trainingJob: 'job-from-elsewhere',
      trainedOn: [
        { dataset: 'dataset:default/support-tickets-sft', version: 'v2' },
      ],
      registry: { versions: [{ version: '1', runId }] },
    });
  });
});
