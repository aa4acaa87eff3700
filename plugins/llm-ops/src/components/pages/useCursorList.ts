import { useCallback, useEffect, useRef, useState } from 'react';
import type { CursorPage } from '@llmops/plugin-llm-ops-common';

/** A cursor-paginated list's state. */
export interface CursorListState<T> {
  items: T[];
  nextCursor?: string;
  loading: boolean;
  loadingMore: boolean;
  error?: Error;
}

/** A cursor-paginated list, how to load its next page, and how to refresh it. */
export type CursorList<T> = CursorListState<T> & {
  loadMore(): void;
  /** Loads the first page again, showing the current items meanwhile. */
  refresh(): void;
};

/** Drops the filters that are unset, so "any" is not sent. */
function setFilters(filter: Record<string, string>) {
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== ''));
}

/**
 * A cursor-paginated list: loads the first page whenever the filter
 * changes, and appends the next page on `loadMore`.
 */
export function useCursorList<T>(
  load: (filter: Record<string, string>) => Promise<CursorPage<T>>,
  filter: Record<string, string>,
): CursorList<T> {
  const [state, setState] = useState<CursorListState<T>>({
    items: [],
    loading: true,
    loadingMore: false,
  });
  const loadRef = useRef(load);
  loadRef.current = load;
  // Answers to an older filter are dropped.
  const generation = useRef(0);
  const key = JSON.stringify(setFilters(filter));

  const fetchPage = useCallback(
    async (cursor?: string, quiet = false) => {
      const current = generation.current;
      const append = cursor !== undefined;
      if (!quiet) {
        setState(s => ({
          ...s,
          loading: !append,
          loadingMore: append,
          error: undefined,
        }));
      }
      try {
        const params = JSON.parse(key);
        const page = await loadRef.current(
          append ? { ...params, cursor } : params,
        );
        if (current !== generation.current) return;
        setState(s => ({
          items: append ? [...s.items, ...page.items] : page.items,
          nextCursor: page.nextCursor,
          loading: false,
          loadingMore: false,
        }));
      } catch (error) {
        if (current !== generation.current) return;
        setState(s => ({
          ...s,
          loading: false,
          loadingMore: false,
          error: error as Error,
        }));
      }
    },
    [key],
  );

  useEffect(() => {
    generation.current += 1;
    fetchPage();
  }, [fetchPage]);

  const loadMore = useCallback(() => {
    if (state.nextCursor) fetchPage(state.nextCursor);
  }, [fetchPage, state.nextCursor]);

  const refresh = useCallback(() => {
    generation.current += 1;
    fetchPage(undefined, true);
  }, [fetchPage]);

  return { ...state, loadMore, refresh };
}
