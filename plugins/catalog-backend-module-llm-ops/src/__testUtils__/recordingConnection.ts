import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type {
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { LlmOpsEntitiesProcessor } from '../processor/LlmOpsEntitiesProcessor';

const refOf = (item: { entity: Entity } | { entityRef: string }) =>
  'entity' in item ? stringifyEntityRef(item.entity) : item.entityRef;

/**
 * An EntityProviderConnection that records each mutation and keeps the
 * entity set the catalog would hold, as the catalog applies them.
 */
export class RecordingConnection implements EntityProviderConnection {
  readonly mutations: EntityProviderMutation[] = [];
  readonly entities = new Map<string, Entity>();

  async applyMutation(mutation: EntityProviderMutation): Promise<void> {
    this.mutations.push(mutation);
    if (mutation.type === 'full') {
      this.entities.clear();
      for (const { entity } of mutation.entities) {
        this.entities.set(stringifyEntityRef(entity), entity);
      }
    } else {
      for (const removed of mutation.removed) {
        this.entities.delete(refOf(removed));
      }
      for (const { entity } of mutation.added) {
        this.entities.set(stringifyEntityRef(entity), entity);
      }
    }
  }

  async refresh(): Promise<void> {}

  /** The refs of the last mutation: `full`, or `+added` and `-removed`. */
  last(): { type: string; added: string[]; removed: string[] } {
    const m = this.mutations[this.mutations.length - 1];
    if (!m) return { type: 'none', added: [], removed: [] };
    const refs = (list: Array<{ entity: Entity } | { entityRef: string }>) =>
      list.map(refOf).sort();
    return m.type === 'full'
      ? { type: 'full', added: refs(m.entities), removed: [] }
      : { type: 'delta', added: refs(m.added), removed: refs(m.removed) };
  }
}

/** Runs an entity through the processor as the catalog would: validation and relations. */
export async function processEntity(entity: Entity) {
  const processor = new LlmOpsEntitiesProcessor();
  const valid = await processor.validateEntityKind(entity);
  const relations: string[] = [];
  await processor.postProcessEntity(
    entity,
    { type: 'url', target: 'x' },
    result => {
      if (result.type === 'relation') {
        const { source, type, target } = result.relation;
        relations.push(
          `${stringifyEntityRef(source)} ${type} ${stringifyEntityRef(target)}`,
        );
      }
    },
  );
  return { valid, relations };
}

/** A logger that keeps its warnings, for asserting the skip messages. */
export function recordingLogger(): LoggerService & { warnings: string[] } {
  const warnings: string[] = [];
  const logger: LoggerService & { warnings: string[] } = {
    warnings,
    child: () => logger,
    debug: () => {},
    info: () => {},
    error: () => {},
    warn: (message: string) => {
      warnings.push(message);
    },
  };
  return logger;
}
