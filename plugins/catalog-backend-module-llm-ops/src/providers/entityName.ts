import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { createHash } from 'node:crypto';

const MAX = 63;

/**
 * Turns an upstream name into a valid entity name: `[a-z0-9]` runs joined
 * by `-`, `_` or `.`, at most 63 characters. A name that had to be cut
 * short ends with a short hash of the original, so two long names stay
 * apart.
 */
export function toEntityName(value: string): string {
  const cleaned = value
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/[._-]{2,}/g, '-')
    .replace(/^[._-]+|[._-]+$/g, '');
  if (cleaned.length <= MAX && cleaned.length > 0) return cleaned;
  const hash = createHash('sha1').update(value).digest('hex').slice(0, 8);
  return `${cleaned.slice(0, MAX - 9).replace(/[._-]+$/, '')}-${hash}`;
}

/** Turns a tool's validation error into one line that names the field. */
export function describeInvalid(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `name`, `ns/name` or `kind:ns/name` as a full ref of the given kind. */
export function normalizeRef(ref: string, kind: string): string {
  const parsed = parseEntityRef(ref, {
    defaultKind: kind,
    defaultNamespace: 'default',
  });
  if (parsed.kind.toLowerCase() !== kind) {
    throw new Error(`'${ref}' is not a ${kind} reference`);
  }
  return stringifyEntityRef(parsed);
}
