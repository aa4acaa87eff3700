import { Entity } from '@backstage/catalog-model';
import { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { LlmOpsEntitiesProcessor } from './LlmOpsEntitiesProcessor';

const location = { type: 'url', target: 'http://example.com/catalog.yaml' };

const fineTuned: Entity = {
  apiVersion: 'llmops.dev/v1alpha1',
  kind: 'Model',
  metadata: { name: 'support-bot-llama-3-8b', namespace: 'default' },
  spec: {
    type: 'fine-tuned',
    family: 'llama',
    owner: 'group:ml-platform',
    lifecycle: 'production',
    maxPositionEmbeddings: 8192,
    source: 'mlflow://models/support-bot/3',
    parameterCount: 8030261248,
    jobType: 'SFT',
    baseModel: 'model:default/llama-3-8b',
    trainedOn: [{ dataset: 'dataset:support-tickets', version: 'v2' }],
    trainingJob: 'support-bot-sft-1',
    serving: { minGpus: 1, minGpuMemoryGb: 24 },
    registry: {
      currentVersion: '3',
      versions: [
        { version: '2' },
        { version: '3', status: 'READY', runId: 'abc' },
      ],
      aliases: { champion: '3' },
    },
  },
};

const baseModel: Entity = {
  apiVersion: 'llmops.dev/v1alpha1',
  kind: 'Model',
  metadata: { name: 'llama-3-8b' },
  spec: {
    type: 'base',
    family: 'llama',
    owner: 'group:ml-platform',
    lifecycle: 'production',
    maxPositionEmbeddings: 8192,
    source: 'hf://meta-llama/Meta-Llama-3-8B',
  },
};

const dataset: Entity = {
  apiVersion: 'llmops.dev/v1alpha1',
  kind: 'Dataset',
  metadata: { name: 'support-tickets' },
  spec: {
    type: 'sft_pair',
    owner: 'group:nlp',
    lifecycle: 'production',
    storageUri: 's3://acme/support-tickets',
    dvc: { repo: 'https://git.example.com/data.git', path: 'data/tickets' },
    versions: [
      {
        version: 'v2',
        md5: '1f3c9e0d6a7b4c2d8e5f0a1b2c3d4e5f.dir',
        size: 1024,
        files: 3,
        url: 's3://acme/files/md5/1f/3c',
        date: '2026-09-14T00:00:00Z',
      },
    ],
  },
};

const deployment: Entity = {
  apiVersion: 'llmops.dev/v1alpha1',
  kind: 'Deployment',
  metadata: {
    name: 'support-bot-prod',
    annotations: {
      'backstage.io/kubernetes-id': 'support-bot',
      'backstage.io/kubernetes-namespace': 'llm-prod',
    },
  },
  spec: {
    model: 'model:default/support-bot-llama-3-8b',
    serveTarget: 'GENERATION',
    backend: 'kserve',
    cluster: 'prod',
    namespace: 'llm-prod',
    environment: 'prod',
    owner: 'group:nlp',
    lifecycle: 'production',
    endpoint: 'https://support-bot.example.com',
    runtime: {
      maxConcurrentRequests: 32,
      maxInputTokens: 6144,
      maxOutputTokens: 1024,
    },
    rollout: { strategy: 'canary', trafficSplit: { old: 90, new: 10 } },
    status: {
      ready: true,
      conditions: [{ type: 'Ready', status: 'True', reason: 'Ok' }],
    },
  },
};

const trainingJob: Entity = {
  apiVersion: 'llmops.dev/v1alpha1',
  kind: 'TrainingJob',
  metadata: { name: '5b0c7a52-3f0e-4a7e-9d2c-0c5e8f1a2b3c' },
  spec: {
    owner: 'user:default/alice',
    status: 'succeeded',
    jobType: 'SFT',
    modelFamily: 'llama',
    baseModel: 'model:default/llama-3-8b',
    trainedOn: [{ dataset: 'dataset:default/support-tickets', version: 'v2' }],
    produced: [
      { model: 'model:default/support-bot-llama-3-8b', version: '3' },
      { model: 'model:default/support-bot-llama-3-8b', version: '4' },
    ],
    gpuHours: 1.5,
  },
};

/** A copy of the entity with `path` (dotted, under the entity) set, or deleted when undefined. */
function withField(entity: Entity, path: string, value: unknown): Entity {
  const copy = structuredClone(entity) as any;
  const keys = path.split('.');
  let target = copy;
  for (const key of keys.slice(0, -1)) target = target[key];
  const last = keys[keys.length - 1];
  if (value === undefined) delete target[last];
  else target[last] = value;
  return copy;
}

type Case = [string, unknown, RegExp];

const modelCases: Case[] = [
  [
    'spec.type',
    'distilled',
    /\/spec\/type must be equal to one of the allowed values/,
  ],
  ['spec.type', undefined, /must have required property 'type'/],
  ['spec.family', undefined, /missingProperty: family/],
  ['spec.family', 'Llama 3', /\/spec\/family must match pattern/],
  ['spec.owner', '', /\/spec\/owner must NOT have fewer than 1 characters/],
  ['spec.owner', undefined, /missingProperty: owner/],
  ['spec.lifecycle', undefined, /missingProperty: lifecycle/],
  ['spec.lifecycle', 7, /\/spec\/lifecycle must be string/],
  [
    'spec.maxPositionEmbeddings',
    0,
    /\/spec\/maxPositionEmbeddings must be >= 1/,
  ],
  [
    'spec.maxPositionEmbeddings',
    4096.5,
    /\/spec\/maxPositionEmbeddings must be integer/,
  ],
  [
    'spec.maxPositionEmbeddings',
    undefined,
    /missingProperty: maxPositionEmbeddings/,
  ],
  ['spec.source', 'ftp://weights', /\/spec\/source must match pattern/],
  ['spec.source', undefined, /missingProperty: source/],
  ['spec.parameterCount', -1, /\/spec\/parameterCount must be >= 1/],
  [
    'spec.jobType',
    'DISTILL',
    /\/spec\/jobType must be equal to one of the allowed values/,
  ],
  ['spec.jobType', undefined, /missingProperty: jobType/],
  ['spec.baseModel', undefined, /missingProperty: baseModel/],
  [
    'spec.baseModel',
    '',
    /\/spec\/baseModel must NOT have fewer than 1 characters/,
  ],
  ['spec.trainedOn', undefined, /missingProperty: trainedOn/],
  ['spec.trainedOn', [], /\/spec\/trainedOn must NOT have fewer than 1 items/],
  [
    'spec.trainedOn',
    [{ dataset: 'dataset:x' }],
    /\/spec\/trainedOn\/0 must have required property 'version'/,
  ],
  ['spec.trainingJob', undefined, /missingProperty: trainingJob/],
  ['spec.serving', { minGpus: -1 }, /\/spec\/serving\/minGpus must be >= 0/],
  [
    'spec.serving',
    { minGpuMemoryGb: 0 },
    /\/spec\/serving\/minGpuMemoryGb must be > 0/,
  ],
  [
    'spec.serving',
    { gpus: 1 },
    /\/spec\/serving must NOT have additional properties - additionalProperty: gpus/,
  ],
  [
    'spec.registry',
    { versions: [{ stage: 'x' }] },
    /\/spec\/registry\/versions\/0 must have required property 'version'/,
  ],
  [
    'spec.registry',
    { versions: [{ version: '1', tags: {} }] },
    /additionalProperty: tags/,
  ],
  [
    'spec.registry',
    { aliases: { champion: 3 } },
    /\/spec\/registry\/aliases\/champion must be string/,
  ],
  [
    'spec.registry',
    { aliases: { 'has space': '3' } },
    /\/spec\/registry\/aliases must match pattern|property name must be valid/,
  ],
  [
    'spec.contextLength',
    4096,
    /\/spec must NOT have additional properties - additionalProperty: contextLength/,
  ],
];

const baseModelCases: Case[] = [
  [
    'spec.baseModel',
    'model:llama-2',
    /\/spec\/baseModel boolean schema is false/,
  ],
  ['spec.jobType', 'SFT', /\/spec\/jobType boolean schema is false/],
  [
    'spec.trainedOn',
    [{ dataset: 'd', version: 'v1' }],
    /\/spec\/trainedOn boolean schema is false/,
  ],
  ['spec.trainingJob', 'job-1', /\/spec\/trainingJob boolean schema is false/],
];

const datasetCases: Case[] = [
  [
    'spec.type',
    'chat_logs',
    /\/spec\/type must be equal to one of the allowed values/,
  ],
  ['spec.type', undefined, /missingProperty: type/],
  ['spec.owner', undefined, /missingProperty: owner/],
  ['spec.lifecycle', undefined, /missingProperty: lifecycle/],
  ['spec.storageUri', 'acme/bucket', /\/spec\/storageUri must match pattern/],
  ['spec.storageUri', undefined, /missingProperty: storageUri/],
  ['spec.dvc', { repo: 'r' }, /\/spec\/dvc must have required property 'path'/],
  ['spec.dvc', { path: 'p' }, /\/spec\/dvc must have required property 'repo'/],
  [
    'spec.versions',
    [{ md5: 'abc' }],
    /\/spec\/versions\/0 must have required property 'version'/,
  ],
  [
    'spec.versions',
    [{ version: 'v1', md5: 'xyz' }],
    /\/spec\/versions\/0\/md5 must match pattern/,
  ],
  [
    'spec.versions',
    [{ version: 'v1', size: -5 }],
    /\/spec\/versions\/0\/size must be >= 0/,
  ],
  [
    'spec.versions',
    [{ version: 'v1', files: 1.5 }],
    /\/spec\/versions\/0\/files must be integer/,
  ],
  ['spec.versions', [{ version: 'v1', rows: 3 }], /additionalProperty: rows/],
  [
    'spec.rows',
    10,
    /\/spec must NOT have additional properties - additionalProperty: rows/,
  ],
];

const deploymentCases: Case[] = [
  ['spec.model', undefined, /missingProperty: model/],
  [
    'spec.serveTarget',
    'CHAT',
    /\/spec\/serveTarget must be equal to one of the allowed values/,
  ],
  [
    'spec.backend',
    'vllm',
    /\/spec\/backend must be equal to one of the allowed values/,
  ],
  ['spec.cluster', '', /\/spec\/cluster must NOT have fewer than 1 characters/],
  ['spec.namespace', 'LLM_Prod', /\/spec\/namespace must match pattern/],
  [
    'spec.environment',
    'qa',
    /\/spec\/environment must be equal to one of the allowed values/,
  ],
  ['spec.owner', undefined, /missingProperty: owner/],
  ['spec.lifecycle', undefined, /missingProperty: lifecycle/],
  ['spec.endpoint', 'support-bot:8080', /\/spec\/endpoint must match pattern/],
  [
    'spec.runtime',
    { maxInputTokens: 0 },
    /\/spec\/runtime\/maxInputTokens must be >= 1/,
  ],
  [
    'spec.runtime',
    { maxConcurrentRequests: 'many' },
    /\/spec\/runtime\/maxConcurrentRequests must be integer/,
  ],
  [
    'spec.rollout',
    { strategy: 'shadow', trafficSplit: { old: 0, new: 100 } },
    /\/spec\/rollout\/strategy must be equal to one of the allowed values/,
  ],
  [
    'spec.rollout',
    { strategy: 'canary', trafficSplit: { old: 90, new: 110 } },
    /\/spec\/rollout\/trafficSplit\/new must be <= 100/,
  ],
  [
    'spec.rollout',
    { strategy: 'canary' },
    /\/spec\/rollout must have required property 'trafficSplit'/,
  ],
  ['spec.status', { ready: 'yes' }, /\/spec\/status\/ready must be boolean/],
  [
    'spec.status',
    { conditions: [{ type: 'Ready', status: 'Maybe' }] },
    /\/spec\/status\/conditions\/0\/status must be equal to one of the allowed values/,
  ],
  [
    'metadata.annotations',
    { 'backstage.io/kubernetes-namespace': 'x' },
    /\/metadata\/annotations must have required property 'backstage.io\/kubernetes-id'/,
  ],
  [
    'spec.replicas',
    2,
    /\/spec must NOT have additional properties - additionalProperty: replicas/,
  ],
];

const trainingJobCases: Case[] = [
  ['spec.status', undefined, /must have required property 'status'/],
  [
    'spec.jobType',
    'DISTILL',
    /\/spec\/jobType must be equal to one of the allowed values/,
  ],
  [
    'spec.trainedOn',
    [{ dataset: 'dataset:x' }],
    /\/spec\/trainedOn\/0 must have required property 'version'/,
  ],
  [
    'spec.produced',
    [{ model: '', version: '1' }],
    /\/spec\/produced\/0\/model must NOT have fewer than 1 characters/,
  ],
  ['spec.gpuHours', -1, /\/spec\/gpuHours must be >= 0/],
];

describe('LlmOpsEntitiesProcessor', () => {
  const processor = new LlmOpsEntitiesProcessor();

  it.each([
    ['a fine-tuned Model', fineTuned],
    ['a base Model', baseModel],
    ['a Dataset', dataset],
    ['a Deployment', deployment],
    ['a TrainingJob', trainingJob],
    [
      'a Deployment found by label selector',
      withField(deployment, 'metadata.annotations', {
        'backstage.io/kubernetes-label-selector':
          'serving.kserve.io/inferenceservice=x',
      }),
    ],
  ])('accepts %s', async (_, entity) => {
    await expect(processor.validateEntityKind(entity)).resolves.toBe(true);
  });

  it('leaves kinds that are not its own to other processors', async () => {
    await expect(
      processor.validateEntityKind({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'x' },
        spec: {},
      }),
    ).resolves.toBe(false);
    await expect(
      processor.validateEntityKind({
        ...fineTuned,
        apiVersion: 'llmops.dev/v2',
      }),
    ).resolves.toBe(false);
  });

  describe.each([
    ['fine-tuned Model', fineTuned, modelCases],
    ['base Model', baseModel, baseModelCases],
    ['Dataset', dataset, datasetCases],
    ['Deployment', deployment, deploymentCases],
    ['TrainingJob', trainingJob, trainingJobCases],
  ] as Array<[string, Entity, Case[]]>)('a %s', (_, good, cases) => {
    it.each(cases)(
      'with %s = %j is rejected, naming the field',
      async (path, value, message) => {
        const error = await processor
          .validateEntityKind(withField(good, path, value))
          .then(
            () => undefined,
            e => e,
          );
        expect(error?.name).toBe('InputError');
        expect(error.message).toMatch(message);
        expect(error.message).toMatch(
          new RegExp(`^Invalid ${good.kind} entity ${good.metadata.name}: `),
        );
      },
    );
  });

  it('emits ownership and lineage relations both ways', async () => {
    const relationsOf = async (entity: Entity) => {
      const emitted: CatalogProcessorResult[] = [];
      await processor.postProcessEntity(entity, location, r => emitted.push(r));
      return emitted.map(r =>
        r.type === 'relation'
          ? `${r.relation.source.kind}:${r.relation.source.name} ${r.relation.type} ${r.relation.target.kind}:${r.relation.target.name}`
          : r.type,
      );
    };
    expect(await relationsOf(fineTuned)).toEqual([
      'Model:support-bot-llama-3-8b ownedBy group:ml-platform',
      'group:ml-platform ownerOf Model:support-bot-llama-3-8b',
      'Model:support-bot-llama-3-8b derivedFrom model:llama-3-8b',
      'model:llama-3-8b baseOf Model:support-bot-llama-3-8b',
      'Model:support-bot-llama-3-8b trainedOn dataset:support-tickets',
      'dataset:support-tickets trained Model:support-bot-llama-3-8b',
    ]);
    expect(await relationsOf(dataset)).toEqual([
      'Dataset:support-tickets ownedBy group:nlp',
      'group:nlp ownerOf Dataset:support-tickets',
    ]);
    expect(await relationsOf(deployment)).toEqual([
      'Deployment:support-bot-prod ownedBy group:nlp',
      'group:nlp ownerOf Deployment:support-bot-prod',
      'Deployment:support-bot-prod serves model:support-bot-llama-3-8b',
      'model:support-bot-llama-3-8b servedBy Deployment:support-bot-prod',
    ]);
    // dataset version -> job -> model: one produced relation per model.
    const job = 'TrainingJob:5b0c7a52-3f0e-4a7e-9d2c-0c5e8f1a2b3c';
    expect(await relationsOf(trainingJob)).toEqual([
      `${job} ownedBy user:alice`,
      `user:alice ownerOf ${job}`,
      `${job} derivedFrom model:llama-3-8b`,
      `model:llama-3-8b baseOf ${job}`,
      `${job} trainedOn dataset:support-tickets`,
      `dataset:support-tickets trained ${job}`,
      `${job} produced model:support-bot-llama-3-8b`,
      `model:support-bot-llama-3-8b producedBy ${job}`,
    ]);
  });
});
