import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { z } from 'zod';
import { LLM_OPS_API_VERSION } from '../kinds/constants';
import { JOB_TYPES } from './constants';
import type { ModelResolver, ResolvedModel } from './types';

/** The Model spec fields the validators and converters read. */
const modelSpecFields = z.object({
  type: z.enum(['base', 'fine-tuned']),
  family: z.string().min(1),
  maxPositionEmbeddings: z.number().int().positive(),
  source: z.string().min(1),
  jobType: z.enum(JOB_TYPES).optional(),
  baseModel: z.string().min(1).optional(),
  serving: z
    .object({
      minGpus: z.number().int().nonnegative().optional(),
      minGpuMemoryGb: z.number().positive().optional(),
    })
    .optional(),
});

/**
 * Normalises a Model reference: `llama-3-8b`, `model:llama-3-8b` and
 * `model:default/llama-3-8b` all give `model:default/llama-3-8b`. Returns
 * undefined for a reference that is not an entity reference to a Model.
 */
export function normalizeModelRef(ref: string): string | undefined {
  try {
    const parsed = parseEntityRef(ref, {
      defaultKind: 'model',
      defaultNamespace: 'default',
    });
    return parsed.kind.toLowerCase() === 'model'
      ? stringifyEntityRef(parsed)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A model resolver over a fixed list of catalog entities. It indexes the
 * `kind: Model` entities of `llmops.dev/v1alpha1` by their normalised entity
 * reference and by their `spec.source` (so `hf://org/name` references
 * resolve to the catalog's Model for that source); other entities, and
 * Models lacking the fields the rules read, are ignored.
 *
 * @public
 */
export class InMemoryModelResolver implements ModelResolver {
  readonly #byRef = new Map<string, ResolvedModel>();
  readonly #bySource = new Map<string, ResolvedModel>();

  constructor(entities: Iterable<Entity>) {
    for (const entity of entities) {
      if (
        entity.apiVersion !== LLM_OPS_API_VERSION ||
        entity.kind !== 'Model'
      ) {
        continue;
      }
      const spec = modelSpecFields.safeParse(entity.spec);
      if (!spec.success) {
        continue;
      }
      const ref = stringifyEntityRef(entity);
      const model: ResolvedModel = { ref, ...spec.data };
      this.#byRef.set(ref, model);
      this.#bySource.set(model.source, model);
    }
  }

  /** The number of models indexed. */
  get size(): number {
    return this.#byRef.size;
  }

  /** Looks a reference up synchronously. */
  get(ref: string): ResolvedModel | undefined {
    const key = normalizeModelRef(ref);
    return (key && this.#byRef.get(key)) || this.#bySource.get(ref);
  }

  async resolve(ref: string): Promise<ResolvedModel | undefined> {
    return this.get(ref);
  }
}
