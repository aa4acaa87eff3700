import type { Entity } from '@backstage/catalog-model';
import { filterEntities, EntityFilter } from './EntityKindList';
import { formatParameterCount } from '../model/format';

const entity = (name: string, family: string, type: string): Entity => ({
  apiVersion: 'llmops.dev/v1alpha1',
  kind: 'Model',
  metadata: { name, title: name.toUpperCase() },
  spec: { family, type },
});
const filters: EntityFilter[] = [
  { key: 'family', label: 'Family', value: e => String(e.spec?.family) },
  {
    key: 'type',
    label: 'Type',
    options: ['base', 'fine-tuned'],
    value: e => String(e.spec?.type),
  },
];
const all = [
  entity('llama-3-8b', 'llama', 'base'),
  entity('support-llama', 'llama', 'fine-tuned'),
  entity('mistral-7b', 'mistral', 'base'),
];
const names = (es: Entity[]) => es.map(e => e.metadata.name);

describe('filterEntities', () => {
  it('matches text filters as a case-insensitive substring, and selects exactly', () => {
    expect(names(filterEntities(all, filters, { family: 'LLA' }))).toEqual([
      'llama-3-8b',
      'support-llama',
    ]);
    expect(
      names(filterEntities(all, filters, { family: 'lla', type: 'base' })),
    ).toEqual(['llama-3-8b']);
    // a select is exact: "base" is not a substring match of "fine-tuned" etc.
    expect(names(filterEntities(all, filters, { type: 'tuned' }))).toEqual([]);
    expect(names(filterEntities(all, filters, { family: '  ' }))).toEqual(
      names(all),
    );
  });
});

describe('formatParameterCount', () => {
  it('reads like people write model sizes', () => {
    expect(formatParameterCount(8_030_261_248)).toBe('8.03B');
    expect(formatParameterCount(1_100_048_384)).toBe('1.1B');
    expect(formatParameterCount(109_482_240)).toBe('109M');
    expect(formatParameterCount(950)).toBe('950');
    expect(formatParameterCount(undefined)).toBe('—');
  });
});
