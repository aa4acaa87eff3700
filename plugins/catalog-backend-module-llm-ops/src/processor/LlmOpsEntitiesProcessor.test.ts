import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
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
    jobType: 'SFT',
    baseModel: 'model:default/llama-3-8b',
    trainedOn: [{ dataset: 'dataset:support-tickets', version: 'v2' }],
  },
};

describe('LlmOpsEntitiesProcessor', () => {
  const processor = new LlmOpsEntitiesProcessor();

  it('accepts a valid Model and ignores kinds that are not its own', async () => {
    await expect(processor.validateEntityKind(fineTuned)).resolves.toBe(true);
    await expect(
      processor.validateEntityKind({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'x' },
        spec: {},
      }),
    ).resolves.toBe(false);
  });

  it.each([
    ['a missing family', { family: undefined }, /family/],
    ['an unknown type', { type: 'distilled' }, /type/],
    ['a fine-tuned model without a base model', { baseModel: undefined }, /baseModel/],
    ['a context length of 0', { maxPositionEmbeddings: 0 }, /maxPositionEmbeddings/],
    ['an unknown field', { contextLength: 4096 }, /additional/],
  ])('rejects a Model with %s, naming the field', async (_, change, field) => {
    const spec: JsonObject = { ...fineTuned.spec, ...change };
    for (const key of Object.keys(spec)) {
      if (spec[key] === undefined) delete spec[key];
    }
    await expect(
      processor.validateEntityKind({ ...fineTuned, spec }),
    ).rejects.toThrow(field);
  });

  it('emits ownership and lineage relations both ways', async () => {
    const emitted: CatalogProcessorResult[] = [];
    await processor.postProcessEntity(fineTuned, location, r => emitted.push(r));
    const relations = emitted.map(r =>
      r.type === 'relation'
        ? `${r.relation.source.kind}:${r.relation.source.name} ${r.relation.type} ${r.relation.target.kind}:${r.relation.target.name}`
        : r.type,
    );
    expect(relations).toEqual([
      'Model:support-bot-llama-3-8b ownedBy group:ml-platform',
      'group:ml-platform ownerOf Model:support-bot-llama-3-8b',
      'Model:support-bot-llama-3-8b derivedFrom model:llama-3-8b',
      'model:llama-3-8b baseOf Model:support-bot-llama-3-8b',
      'Model:support-bot-llama-3-8b trainedOn dataset:support-tickets',
      'dataset:support-tickets trained Model:support-bot-llama-3-8b',
    ]);
  });
});
