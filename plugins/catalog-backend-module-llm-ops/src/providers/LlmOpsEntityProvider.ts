import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import type {
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { stableHash } from './stableHash';
import type {
  ProviderHealth,
  ProviderPartition,
  ProviderRunResult,
} from './types';

interface Emitted {
  entity: Entity;
  hash: string;
  partition: string;
}

/** The options every LLM Ops entity provider takes. @public */
export interface LlmOpsEntityProviderOptions {
  logger: LoggerService;
  /** Runs `refresh()` on the configured schedule; without it, call `refresh()` yourself. */
  taskRunner?: SchedulerServiceTaskRunner;
}

/**
 * The mechanism all LLM Ops entity providers share: a stable name and
 * location key, the `managed-by-*` annotations, and delta mutations.
 *
 * It keeps the set it last emitted (entity ref → content hash) in memory.
 * The first run in which every part of the tool answers is a full
 * mutation, which also clears what a previous process left behind; each
 * later run applies only a delta: the entities that are new or whose
 * content changed, and those gone from a part that answered. A part that
 * fails keeps its last entities, so a tool that is down never removes
 * anything from the catalog.
 *
 * @public
 */
export abstract class LlmOpsEntityProvider implements EntityProvider {
  #connection?: EntityProviderConnection;
  #emitted = new Map<string, Emitted>();
  #fullDone = false;
  #running?: Promise<ProviderRunResult>;
  #next?: Promise<ProviderRunResult>;
  #health: ProviderHealth;
  #skipped: ProviderHealth['skipped'] = [];
  protected readonly logger: LoggerService;
  readonly #taskRunner?: SchedulerServiceTaskRunner;

  protected constructor(
    readonly name: string,
    options: LlmOpsEntityProviderOptions,
  ) {
    this.logger = options.logger.child({ provider: name });
    this.#taskRunner = options.taskRunner;
    this.#health = {
      provider: name,
      healthy: false,
      entityCount: 0,
      failures: [],
      skipped: [],
    };
  }

  /** Reads the tool: each part's entities, or the error of a part that failed. */
  protected abstract read(signal: AbortSignal): Promise<ProviderPartition[]>;

  /** A URL of the tool itself, for the `managed-by-*` annotations. */
  protected abstract locationTarget(): string;

  getProviderName(): string {
    return this.name;
  }

  /** The location key of every entity the provider emits. */
  get locationKey(): string {
    return `llm-ops-provider:${this.name}`;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
    if (this.#taskRunner) {
      await this.#taskRunner.run({
        id: `${this.name}:refresh`,
        fn: async () => {
          await this.refresh();
        },
      });
    }
  }

  /** The provider's state after its last run. */
  getHealth(): ProviderHealth {
    return { ...this.#health, entityCount: this.#emitted.size };
  }

  /** Records an upstream item that could not become an entity, with a warning. */
  protected skip(item: string, reason: string): void {
    this.logger.warn(`Skipping ${item}: ${reason}`);
    this.#skipped.push({ item, reason });
  }

  /** Reads the tool and applies what changed. Concurrent calls share one run. */
  refresh(signal?: AbortSignal): Promise<ProviderRunResult> {
    if (!this.#running) {
      this.#running = this.#refresh(
        signal ?? new AbortController().signal,
      ).finally(() => {
        this.#running = undefined;
      });
    }
    return this.#running;
  }

  /**
   * A refresh that starts after the one in progress, for a change event:
   * the run in progress may have read the tool before the change. The
   * events that arrive meanwhile share the one run.
   */
  refreshAfterChange(): Promise<ProviderRunResult> {
    if (!this.#next) {
      const current = this.#running ?? Promise.resolve();
      this.#next = current
        .catch(() => undefined)
        .then(() => {
          this.#next = undefined;
          return this.refresh();
        });
    }
    return this.#next;
  }

  async #refresh(signal: AbortSignal): Promise<ProviderRunResult> {
    const connection = this.#connection;
    if (!connection) {
      throw new Error(`${this.name} is not connected to the catalog yet`);
    }
    const startedAt = new Date().toISOString();
    this.#skipped = [];
    let partitions: ProviderPartition[];
    try {
      partitions = await this.read(signal);
    } catch (error) {
      // The whole tool failed: every part keeps its entities.
      partitions = [{ partition: '*', error: error as Error }];
    }

    const failed = new Map<string, Error>();
    for (const part of partitions) {
      if ('error' in part) failed.set(part.partition, part.error);
    }
    const next = new Map<string, Emitted>();
    if (failed.has('*')) {
      for (const [ref, emitted] of this.#emitted) next.set(ref, emitted);
    } else {
      for (const [ref, emitted] of this.#emitted) {
        if (failed.has(emitted.partition)) next.set(ref, emitted);
      }
    }
    for (const part of partitions) {
      if ('error' in part) continue;
      for (const raw of part.entities) {
        const entity = this.#decorate(raw);
        const ref = stringifyEntityRef(entity);
        const existing = next.get(ref);
        if (existing) {
          this.skip(
            ref,
            `it is produced twice, by ${existing.partition} and ${part.partition}; keeping the first`,
          );
          continue;
        }
        next.set(ref, {
          entity,
          hash: stableHash(entity),
          partition: part.partition,
        });
      }
    }

    for (const [partition, error] of failed) {
      this.logger.warn(
        `${this.name}: ${
          partition === '*' ? 'the tool' : partition
        } did not answer (${
          error.message
        }); keeping its last entities in the catalog`,
      );
    }

    let result: ProviderRunResult;
    if (!this.#fullDone && failed.size === 0) {
      // The first complete read replaces whatever a previous process emitted.
      await connection.applyMutation({
        type: 'full',
        entities: [...next.values()].map(e => this.#deferred(e.entity)),
      });
      this.#fullDone = true;
      result = { type: 'full', added: next.size, removed: 0, failures: 0 };
    } else {
      const added: DeferredEntity[] = [];
      const removed: DeferredEntity[] = [];
      for (const [ref, emitted] of next) {
        if (this.#emitted.get(ref)?.hash !== emitted.hash) {
          added.push(this.#deferred(emitted.entity));
        }
      }
      // Before the first complete read, what a previous process emitted is
      // unknown, so nothing is removed then either.
      for (const [ref, emitted] of this.#emitted) {
        if (!next.has(ref)) removed.push(this.#deferred(emitted.entity));
      }
      if (added.length || removed.length) {
        await connection.applyMutation({ type: 'delta', added, removed });
      }
      result = {
        type: added.length || removed.length ? 'delta' : 'none',
        added: added.length,
        removed: removed.length,
        failures: failed.size,
      };
    }
    this.#emitted = next;
    this.#health = {
      provider: this.name,
      healthy: failed.size === 0,
      lastRunAt: startedAt,
      lastSuccessAt: failed.size === 0 ? startedAt : this.#health.lastSuccessAt,
      entityCount: next.size,
      failures: [...failed].map(([partition, error]) => ({
        partition,
        error: error.message,
      })),
      skipped: this.#skipped,
    };
    this.logger.info(
      `${this.name}: ${result.type} mutation, ${
        result.added
      } added or changed, ${result.removed} removed, ${next.size} kept, ${
        failed.size
      } parts failed, ${this.#skipped.length} items skipped`,
    );
    return result;
  }

  #decorate(entity: Entity): Entity {
    const location = `url:${this.locationTarget()}`;
    return {
      ...entity,
      metadata: {
        ...entity.metadata,
        annotations: {
          ...entity.metadata.annotations,
          [ANNOTATION_LOCATION]: location,
          [ANNOTATION_ORIGIN_LOCATION]: location,
        },
      },
    };
  }

  #deferred(entity: Entity): DeferredEntity {
    return { entity, locationKey: this.locationKey };
  }
}
