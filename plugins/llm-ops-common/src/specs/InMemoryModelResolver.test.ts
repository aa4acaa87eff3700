import { InMemoryModelResolver } from './InMemoryModelResolver';
import { catalogEntities, modelEntity } from './__testUtils__/builders';

describe('InMemoryModelResolver', () => {
  const resolver = new InMemoryModelResolver(catalogEntities);

  it('indexes only the Model entities of llmops.dev/v1alpha1', () => {
    expect(resolver.size).toBe(4);
  });

  it('resolves a model with the fields the rules read', async () => {
    expect(await resolver.resolve('model:default/llama-3-8b-sft')).toEqual({
      ref: 'model:default/llama-3-8b-sft',
      type: 'fine-tuned',
      family: 'llama',
      maxPositionEmbeddings: 8192,
      jobType: 'SFT',
      baseModel: 'model:default/llama-3-8b',
      serving: { minGpus: 1, minGpuMemoryGb: 24 },
      source: 'mlflow://models/llama-3-8b-sft/3',
    });
  });

  it.each([
    'llama-3-8b',
    'model:llama-3-8b',
    'model:default/llama-3-8b',
    'MODEL:DEFAULT/LLAMA-3-8B',
    'hf://meta-llama/Meta-Llama-3-8B',
  ])('normalises %s', async ref => {
    expect((await resolver.resolve(ref))?.ref).toBe('model:default/llama-3-8b');
  });

  it.each([
    'model:other/llama-3-8b',
    'component:default/llm-ops-portal',
    'llm-ops-portal',
    'hf://nobody/nothing',
    '',
    'a:b:c/d',
  ])('resolves nothing for %s', async ref => {
    expect(await resolver.resolve(ref)).toBeUndefined();
  });

  it('skips Models without the fields the rules read, and other API versions', () => {
    const skipped = new InMemoryModelResolver([
      modelEntity('no-family', { type: 'base', maxPositionEmbeddings: 1 }),
      {
        ...modelEntity('v2', {
          type: 'base',
          family: 'llama',
          maxPositionEmbeddings: 1,
        }),
        apiVersion: 'llmops.dev/v2',
      },
    ]);
    expect(skipped.size).toBe(0);
  });
});
