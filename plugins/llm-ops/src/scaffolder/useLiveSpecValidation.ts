import { useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { SpecError } from '@llmops/plugin-llm-ops-common';
import { llmOpsApiRef } from '../api/LlmOpsApi';
import type { SpecKind } from './specFromForm';
import { createSpecFormMemo, validateSpecForm } from './specValidation';
import type { FormValues } from './useFormValues';

/** The state of the live validation of a form's spec. */
export interface LiveSpecValidation {
  /** True from a change until its answer. */
  pending: boolean;
  /** The errors of the latest answer. */
  errors: SpecError[];
  /** Set when the API could not be asked. */
  failure?: string;
}

/** How long the form must be still before its spec is validated. */
export const LIVE_VALIDATION_DEBOUNCE_MS = 400;

/**
 * Validates the spec assembled from the form values through the API as the
 * user types, debounced; answers to older values are dropped. The memo of
 * entities and answers lives as long as the component.
 */
export function useLiveSpecValidation(
  kind: SpecKind,
  values: FormValues,
): LiveSpecValidation {
  const llmOpsApi = useApi(llmOpsApiRef);
  const catalogApi = useApi(catalogApiRef);
  const [memo] = useState(createSpecFormMemo);
  const [state, setState] = useState<LiveSpecValidation>({
    pending: true,
    errors: [],
  });
  const valuesKey = JSON.stringify(values);

  useEffect(() => {
    let current = true;
    setState(s => (s.pending ? s : { ...s, pending: true }));
    const timer = setTimeout(() => {
      validateSpecForm(
        kind,
        JSON.parse(valuesKey),
        { llmOpsApi, catalogApi },
        memo,
      ).then(
        errors => current && setState({ pending: false, errors }),
        error =>
          current &&
          setState({
            pending: false,
            errors: [],
            failure: `Live validation is unavailable: ${
              (error as Error).message
            }`,
          }),
      );
    }, LIVE_VALIDATION_DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [kind, valuesKey, llmOpsApi, catalogApi, memo]);

  return state;
}
