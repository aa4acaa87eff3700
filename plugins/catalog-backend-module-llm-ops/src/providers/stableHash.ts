import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so equal content gives equal text. */
function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) {
    return `[${value.map(stableStringify).join(',')}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a === b ? 0 : Number(a > b) * 2 - 1));
  return `{${entries
    .map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`)
    .join(',')}}`;
}

/** A content hash of a JSON value that ignores key order. */
export function stableHash(value: unknown): string {
  return createHash('sha1').update(stableStringify(value)).digest('hex');
}
