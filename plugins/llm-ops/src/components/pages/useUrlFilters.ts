import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { FilterValues } from './FilterBar';

/**
 * A list's filters, kept in the page's URL (`?status=running&owner=ana`), so
 * a filtered list can be reloaded, shared and gone back to.
 */
export function useUrlFilters(
  keys: string[],
): [FilterValues, (values: FilterValues) => void] {
  const [params, setParams] = useSearchParams();
  const values = useMemo(() => {
    const found: FilterValues = {};
    for (const key of keys) {
      const value = params.get(key);
      if (value) found[key] = value;
    }
    return found;
    // keys is a constant list per page
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [params]);
  const setValues = useCallback(
    (next: FilterValues) => {
      const updated = new URLSearchParams(params);
      for (const key of keys) {
        if (next[key]) updated.set(key, next[key]);
        else updated.delete(key);
      }
      setParams(updated, { replace: true });
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [params, setParams],
  );
  return [values, setValues];
}
