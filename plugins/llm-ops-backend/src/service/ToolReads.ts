import type { ToolCategory, Unavailable } from '@llmops/plugin-llm-ops-common';
import { AdapterOf, isToolError } from '@llmops/plugin-llm-ops-node';
import type { ApiContext } from './context';

/**
 * Reads from the tools. A good answer is cached; when the tool is down, the
 * last known answer comes back with `stale: true`, the time it was fetched
 * and why the tool is unavailable, instead of an error.
 */
export class ToolReads {
  constructor(private readonly ctx: ApiContext) {}

  async read<C extends ToolCategory, T extends object>(
    category: C,
    cacheKey: string,
    fn: (adapter: AdapterOf<C>, signal: AbortSignal) => Promise<T>,
    empty: T,
    tool?: string,
  ): Promise<
    T & { stale: boolean; fetchedAt?: string; unavailable?: Unavailable }
  > {
    const adapter = this.ctx.tools.require(category, tool);
    const key = `${adapter.tool}:${cacheKey}`;
    try {
      const data = await this.ctx.tools.call(adapter, fn);
      // the cache skips rewriting an unchanged answer
      await this.ctx.db.cache.write(key, data);
      return { ...data, stale: false, fetchedAt: new Date().toISOString() };
    } catch (error) {
      if (!(isToolError(error) && error.transient)) throw error;
      // Never seen: nothing to show yet, still marked stale rather than failing.
      const cached = await this.ctx.db.cache.read(key);
      if (!cached) return { ...empty, stale: true, unavailable: error.data };
      return {
        ...(cached.data as T),
        stale: true,
        fetchedAt: cached.fetchedAt,
        unavailable: error.data,
      };
    }
  }
}
