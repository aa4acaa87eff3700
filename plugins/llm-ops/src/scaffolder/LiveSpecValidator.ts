import type { Entity } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import type { CatalogApi } from '@backstage/plugin-catalog-react';
import type { SpecValidationError } from '@llmops/plugin-llm-ops-common';
import {
  entityRefsOf,
  fieldOfPath,
  SpecKind,
  specFromForm,
} from './specFromForm';

/** What a field shows: the errors of the latest validation, by form field. */
export interface LiveValidationState {
  pending: boolean;
  errors: SpecValidationError[];
  /** Set when the API could not be asked. */
  failure?: string;
}

type Listener = (state: LiveValidationState) => void;

const VALIDATE_PATH: Record<SpecKind, string> = {
  TrainJobSpec: '/v1/training-jobs/validate',
  DeploymentSpec: '/v1/deployments/validate',
};

/**
 * Validates the spec assembled from a form through the API, debounced: all
 * the fields of a form share one validator, so a change makes one request.
 * Results are cached by spec, so going back and forth costs nothing.
 */
export class LiveSpecValidator {
  static readonly debounceMs = 400;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #latestKey = '';
  #state: LiveValidationState = { pending: false, errors: [] };
  readonly #listeners = new Set<Listener>();
  readonly #results = new Map<string, Promise<SpecValidationError[]>>();
  readonly #entities = new Map<string, Promise<Entity | undefined>>();
  readonly #loaded = new Map<string, Entity | undefined>();
  #scheduled?: () => Promise<void>;

  constructor(
    private readonly kind: SpecKind,
    private readonly deps: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
      catalogApi: CatalogApi;
    },
  ) {}

  get state() {
    return this.#state;
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A catalog entity the spec is built from, once loaded. */
  entity(ref: string): Entity | undefined {
    return this.#loaded.get(ref);
  }

  /** Loads a catalog entity (cached), for the spec and for the fields' hints. */
  loadEntity(ref: string): Promise<Entity | undefined> {
    let entity = this.#entities.get(ref);
    if (!entity) {
      entity = this.deps.catalogApi
        .getEntityByRef(ref)
        .catch(() => undefined)
        .then(e => {
          this.#loaded.set(ref, e);
          return e;
        });
      this.#entities.set(ref, entity);
    }
    return entity;
  }

  /** Validates these form values after the debounce delay. */
  schedule(values: Record<string, unknown>) {
    clearTimeout(this.#timer);
    this.#scheduled = () => this.#run(values);
    this.#timer = setTimeout(() => {
      this.flush();
    }, LiveSpecValidator.debounceMs);
  }

  /** Runs a scheduled validation now; resolves with the latest state. */
  async flush(): Promise<LiveValidationState> {
    clearTimeout(this.#timer);
    const run = this.#scheduled;
    this.#scheduled = undefined;
    if (run) await run();
    return this.#state;
  }

  /** The errors the latest validation found for a form field. */
  errorsFor(field: string, state = this.#state): SpecValidationError[] {
    return state.errors.filter(e => fieldOfPath(this.kind, e.path) === field);
  }

  async #run(values: Record<string, unknown>) {
    await Promise.all(
      entityRefsOf(this.kind, values).map(r => this.loadEntity(r)),
    );
    const spec = specFromForm(this.kind, values, ref => this.#loaded.get(ref));
    const key = JSON.stringify(spec);
    this.#latestKey = key;
    let result = this.#results.get(key);
    if (!result) {
      this.#set({ ...this.#state, pending: true });
      result = this.#validate(spec);
      this.#results.set(key, result);
      if (this.#results.size > 100) {
        this.#results.delete(this.#results.keys().next().value!);
      }
      result.catch(() => this.#results.delete(key));
    }
    try {
      const errors = await result;
      if (this.#latestKey === key) this.#set({ pending: false, errors });
    } catch (error) {
      if (this.#latestKey === key) {
        this.#set({
          pending: false,
          errors: [],
          failure: `Live validation is unavailable: ${
            (error as Error).message
          }`,
        });
      }
    }
  }

  async #validate(spec: unknown): Promise<SpecValidationError[]> {
    const baseUrl = await this.deps.discoveryApi.getBaseUrl('llm-ops');
    const response = await this.deps.fetchApi.fetch(
      `${baseUrl}${VALIDATE_PATH[this.kind]}`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ spec }),
      },
    );
    const body = await response.json().catch(() => undefined);
    if (!response.ok || !body?.data) {
      throw new Error(body?.message ?? `HTTP ${response.status}`);
    }
    return body.data.valid ? [] : body.data.errors;
  }

  #set(state: LiveValidationState) {
    this.#state = state;
    this.#listeners.forEach(listener => listener(state));
  }
}
