import { createHash } from 'node:crypto';
import { ConflictError } from '@backstage/errors';

/** An Idempotency-Key and the hash of the body it came with. */
export interface Idempotency {
  key: string;
  requestHash: string;
}

/** The stable hash of a request body, to tell a replay from a new request. */
export function hashRequest(body: unknown): string {
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical);
    if (!v || typeof v !== 'object') return v;
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map(k => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  };
  return createHash('sha256').update(JSON.stringify(canonical(body))).digest('hex');
}

/** A replay must send the same body as the request that used the key. */
export function checkReplay(
  stored: { request_hash: string | null },
  idempotency: Idempotency,
) {
  if (stored.request_hash !== idempotency.requestHash) {
    throw new ConflictError(
      `Idempotency-Key ${idempotency.key} was already used with a different request body`,
    );
  }
}
