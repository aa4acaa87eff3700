import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { processEntity } from './__testUtils__/recordingConnection';

/** The example catalog that `make start` loads (examples/ at the repo root). */
function loadExamples(): Entity[] {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'backstage.json')))
    dir = path.dirname(dir);
  const examples = path.join(dir, 'examples');
  return fs
    .readdirSync(examples)
    .filter(f => f.endsWith('.yaml'))
    .flatMap(f =>
      parseAllDocuments(fs.readFileSync(path.join(examples, f), 'utf8')).map(
        d => d.toJSON() as Entity,
      ),
    );
}

describe('the example catalog', () => {
  const entities = loadExamples();
  const refs = new Set(entities.map(e => stringifyEntityRef(e)));
  const llmOps = entities.filter(e => e.apiVersion === 'llmops.dev/v1alpha1');
  const of = (kind: string) => llmOps.filter(e => e.kind === kind);

  it.each(llmOps.map(e => [stringifyEntityRef(e), e] as const))(
    '%s is valid, and each relation points at an entity of the catalog',
    async (_, entity) => {
      const { valid, relations } = await processEntity(entity);
      expect(valid).toBe(true);
      for (const relation of relations) {
        const [source, , target] = relation.split(' ');
        for (const ref of [source, target]) {
          expect([
            relation,
            refs.has(stringifyEntityRef(parseEntityRef(ref))),
          ]).toEqual([relation, true]);
        }
      }
    },
  );

  it('is a small organisation: base models across families, every dataset type, lineage, dev and prod, one canary', () => {
    const spec = (e: Entity) => e.spec as Record<string, any>;
    const bases = of('Model').filter(m => spec(m).type === 'base');
    expect(new Set(bases.map(m => spec(m).family)).size).toBeGreaterThanOrEqual(
      4,
    );
    expect(new Set(of('Dataset').map(d => spec(d).type))).toEqual(
      new Set([
        'pretrain_corpus',
        'sft_pair',
        'rag_qa',
        'rlhf_pair',
        'embedding_pair',
      ]),
    );
    expect(of('Dataset').every(d => spec(d).versions?.length > 0)).toBe(true);
    const tuned = of('Model').filter(m => spec(m).type === 'fine-tuned');
    expect(tuned.length).toBeGreaterThanOrEqual(3);
    expect(new Set(of('Deployment').map(d => spec(d).environment))).toEqual(
      new Set(['dev', 'prod']),
    );
    expect(
      of('Deployment').filter(
        d =>
          spec(d).rollout?.strategy === 'canary' &&
          spec(d).rollout.trafficSplit.new % 100 !== 0,
      ),
    ).toHaveLength(1);
    expect(
      entities.filter(e => e.kind === 'Group').length,
    ).toBeGreaterThanOrEqual(3);
    const llama = entities.find(e => e.metadata.name === 'llama-3-8b')!;
    expect(llama.metadata.title).toBe('Llama 3 8B');
  });
});
