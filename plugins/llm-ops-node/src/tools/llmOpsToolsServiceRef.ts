import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { createConfiguredAdapters } from '../adapters';
import type { LlmOpsAdapter } from '../types';
import type { Config } from '@backstage/config';
import type { ToolCategory } from '@llmops/plugin-llm-ops-common';
import { AdapterOf, LlmOpsTools, readBreakerOptions } from './LlmOpsTools';

/**
 * The tools of a backend, assembled once: the adapters configured under
 * `llmOps.integrations`, with those added through the `llm-ops.adapters`
 * extension point in their place, each behind its circuit breaker.
 * Root-scoped, so the LLM Ops API and the catalog's entity providers reach
 * the same adapters through the same breakers.
 *
 * @public
 */
export interface LlmOpsToolsService {
  /**
   * Adds adapters that replace the configured ones of the same tool id.
   * The llm-ops plugin calls it with the extension point's adapters while
   * the backend starts; after that it throws.
   */
  register(adapters: LlmOpsAdapter[]): void;
  /**
   * The tools, once the backend has started (every module has registered
   * its adapters). Catalog providers await it before their first read.
   */
  ready(): Promise<LlmOpsTools>;
  /** The tools now, for callers that run after startup (request handlers). */
  readonly tools: LlmOpsTools;
}

/**
 * The tools of a configuration, as the service's default factory builds
 * them; `markStarted` ends registration and makes them ready (the factory
 * calls it from a root startup hook; tests call it themselves).
 *
 * @public
 */
export function createLlmOpsToolsService(
  config: Config,
): LlmOpsToolsService & { markStarted(): void } {
  const tools = new LlmOpsTools(
    createConfiguredAdapters(config),
    readBreakerOptions(config),
  );
  let started = false;
  let markReady: () => void = () => {};
  const ready = new Promise<void>(resolve => {
    markReady = resolve;
  });
  return {
    tools,
    register(adapters) {
      if (started) {
        throw new Error(
          'llm-ops.tools: adapters can only be registered while the backend starts',
        );
      }
      tools.replaceAdapters(adapters);
    },
    async ready() {
      await ready;
      return tools;
    },
    markStarted() {
      started = true;
      markReady();
    },
  };
}

/** @public */
export const llmOpsToolsServiceRef = createServiceRef<LlmOpsToolsService>({
  id: 'llm-ops.tools',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        lifecycle: coreServices.rootLifecycle,
      },
      factory({ config, lifecycle }) {
        const tools = createLlmOpsToolsService(config);
        // Every plugin and module has registered its adapters by then.
        lifecycle.addStartupHook(() => tools.markStarted());
        return tools;
      },
    }),
});

/**
 * A stand-in for a category's adapter, for code that is built while the
 * backend starts (the catalog's entity providers): each call waits until
 * the tools are ready, takes the adapter that is in place then (the
 * extension point's or the configured one) and runs through its circuit
 * breaker, with the caller's signal joined to the breaker's timeout.
 *
 * @public
 */
export function toolThroughService<C extends ToolCategory>(
  service: LlmOpsToolsService,
  category: C,
  tool: string,
): AdapterOf<C> {
  const forward = (method: string) =>
    async (...args: unknown[]) => {
      const tools = await service.ready();
      const adapter = tools.require(category, tool);
      return tools.call(adapter, (a, breakerSignal) => {
        const last = args[args.length - 1];
        const callArgs =
          isSignal(last)
            ? [...args.slice(0, -1), AbortSignal.any([last, breakerSignal])]
            : args;
        const fn = (a as unknown as Record<string, (...x: unknown[]) => unknown>)[method];
        return Promise.resolve(fn.apply(a, callArgs));
      });
    };
  // The adapter interfaces are plain method sets: forward every method.
  return new Proxy({ tool, category } as AdapterOf<C>, {
    get(target, property) {
      if (property === 'tool' || property === 'category' || typeof property === 'symbol') {
        return Reflect.get(target, property);
      }
      if (property === 'then') return undefined; // not a thenable
      return forward(property);
    },
  });
}

/** duck-typed: a signal may come from another realm (jest's vm) */
function isSignal(value: unknown): value is AbortSignal {
  const signal = value as Partial<AbortSignal> | undefined;
  return (
    typeof signal?.aborted === 'boolean' &&
    typeof signal.addEventListener === 'function'
  );
}
