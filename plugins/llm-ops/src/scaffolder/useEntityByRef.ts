import type { Entity } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';

/**
 * The catalog entity a form field names (an entity ref picked in it or in
 * another field); undefined while it loads, when no ref is given, or when
 * the catalog has none.
 */
export function useEntityByRef(ref: unknown): Entity | undefined {
  const catalogApi = useApi(catalogApiRef);
  const { value } = useAsync(
    async () =>
      typeof ref === 'string' && ref
        ? catalogApi.getEntityByRef(ref).catch(() => undefined)
        : undefined,
    [catalogApi, ref],
  );
  return value;
}

/**
 * Why a picker with this catalog filter would offer nothing, in words; or
 * undefined while it loads or when some entity matches. Only single filters
 * (an object, not a list of alternatives) are described.
 */
export function useEmptyPickerReason(filter: unknown): string | undefined {
  const catalogApi = useApi(catalogApiRef);
  const key = JSON.stringify(filter ?? null);
  const { value } = useAsync(async () => {
    if (!filter || typeof filter !== 'object' || Array.isArray(filter)) {
      return undefined;
    }
    const { items } = await catalogApi
      .getEntities({ filter: filter as Record<string, string>, limit: 1 })
      .catch(() => ({ items: [undefined] }));
    if (items.length > 0) return undefined;
    const { kind, ...rest } = filter as Record<string, unknown>;
    const pairs = Object.entries(rest)
      .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(' or ') : String(v)}`)
      .join(', ');
    return `No ${String(kind ?? 'entity')} in the catalog has ${
      pairs || 'this kind'
    }: choose another value above, or register one.`;
  }, [catalogApi, key]);
  return value;
}
