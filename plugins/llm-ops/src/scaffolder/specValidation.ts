import type { Entity } from '@backstage/catalog-model';
import type { CatalogApi } from '@backstage/plugin-catalog-react';
import { SPEC_ENVIRONMENTS, SpecError } from '@llmops/plugin-llm-ops-common';
import type { DeploymentTarget, LlmOpsApi } from '../api/LlmOpsApi';
import type { FormValues } from './useFormValues';
import { hasValue } from './useFormValues';
import {
  entityRefsOf,
  fieldOfPath,
  SpecKind,
  specFromForm,
} from './specFromForm';

/** What validating a form's spec needs: the API and the catalog. */
export interface SpecFormDeps {
  llmOpsApi: Pick<LlmOpsApi, 'validateTrainingJob' | 'validateDeployment'>;
  catalogApi: Pick<CatalogApi, 'getEntityByRef'>;
}

/**
 * What one form remembers between validations: the catalog entities the
 * spec is built from and the answers by spec, so going back and forth costs
 * nothing. Each live validation keeps its own (in React state).
 */
export interface SpecFormMemo {
  entities: Map<string, Promise<Entity | undefined>>;
  results: Map<string, Promise<SpecError[]>>;
}

/** An empty memo. */
export const createSpecFormMemo = (): SpecFormMemo => ({
  entities: new Map(),
  results: new Map(),
});

const MAX_RESULTS = 100;

function remember<T>(
  map: Map<string, Promise<T>>,
  key: string,
  make: () => Promise<T>,
) {
  let value = map.get(key);
  if (!value) {
    value = make();
    map.set(key, value);
    if (map.size > MAX_RESULTS) map.delete(map.keys().next().value!);
    // A failed call is asked again next time.
    value.catch(() => map.delete(key));
  }
  return value;
}

const BACKENDS = ['kserve', 'rayserve'] as const;

/** The environment and backend the "Deploy a model" form picks, if set. */
function targetOf(values: FormValues): DeploymentTarget {
  const environment = SPEC_ENVIRONMENTS.find(e => e === values.environment);
  const backend = BACKENDS.find(b => b === values.backend);
  return { ...(environment && { environment }), ...(backend && { backend }) };
}

/**
 * Validates the spec that the template's steps build from these form
 * values (see `specFromForm`) through the API's shared rules: the errors,
 * or a rejection when the API could not be asked.
 */
export async function validateSpecForm(
  kind: SpecKind,
  values: FormValues,
  deps: SpecFormDeps,
  memo: SpecFormMemo = createSpecFormMemo(),
): Promise<SpecError[]> {
  const refs = entityRefsOf(kind, values);
  const entities = new Map(
    await Promise.all(
      refs.map(
        async ref =>
          [
            ref,
            await remember(memo.entities, ref, () =>
              deps.catalogApi.getEntityByRef(ref).catch(() => undefined),
            ),
          ] as const,
      ),
    ),
  );
  const spec = specFromForm(kind, values, ref => entities.get(ref));
  // A deployment's rollout is checked where the form says it would deploy.
  const target = kind === 'DeploymentSpec' ? targetOf(values) : undefined;
  return remember(memo.results, JSON.stringify([spec, target]), async () => {
    const result =
      kind === 'TrainJobSpec'
        ? await deps.llmOpsApi.validateTrainingJob(spec)
        : await deps.llmOpsApi.validateDeployment(spec, target);
    return result.valid ? [] : result.errors;
  });
}

/**
 * The errors that concern the form fields filled in so far, each with the
 * field it belongs to: the errors of fields not reached yet wait until they
 * are.
 */
export function errorsOfFilledFields(
  kind: SpecKind,
  errors: SpecError[],
  values: FormValues,
): Array<SpecError & { field: string }> {
  return errors
    .map(error => ({ ...error, field: fieldOfPath(kind, error.path) }))
    .filter(error => hasValue(values[error.field]));
}

/**
 * An error as a field shows it, for people: the message, led by the field's
 * title rather than the spec path when one is given, and the rule's code
 * kept at the end for reference.
 */
export function formatSpecError(error: SpecError, title?: string): string {
  const message =
    title && error.message.startsWith(`${error.path} `)
      ? `${title}${error.message.slice(error.path.length)}`
      : error.message;
  return `${message} (rule: ${error.rule})`;
}
