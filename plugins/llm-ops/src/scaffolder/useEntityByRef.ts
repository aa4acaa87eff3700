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
