import { useEffect } from 'react';
import type {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import FormHelperText from '@material-ui/core/FormHelperText';
import Typography from '@material-ui/core/Typography';
import { llmOpsApiRef } from '../api/LlmOpsApi';
import type { SpecKind } from './specFromForm';
import {
  errorsOfFilledFields,
  formatSpecError,
  validateSpecForm,
} from './specValidation';
import { useFormValues } from './useFormValues';
import { useLiveSpecValidation } from './useLiveSpecValidation';

/**
 * The `ui:options` of `LlmOpsSpecField`.
 *
 * @public
 */
export interface LlmOpsSpecFieldOptions {
  /** Which spec the form builds: `TrainJobSpec` (default) or `DeploymentSpec`. */
  specKind?: SpecKind;
}

const kindOf = (uiSchema: unknown): SpecKind =>
  ((uiSchema as { 'ui:options'?: LlmOpsSpecFieldOptions } | undefined)?.[
    'ui:options'
  ]?.specKind ?? 'TrainJobSpec') as SpecKind;

/** A field's title in the step's schema, else its name. */
function titleOf(rootSchema: unknown, field: string): string {
  const properties = (
    rootSchema as { properties?: Record<string, { title?: unknown }> }
  )?.properties;
  const title = properties?.[field]?.title;
  return typeof title === 'string' ? title : field;
}

/**
 * A form step's spec check: one field per step (a property of type `null`,
 * hidden from the review) that validates the TrainJobSpec or DeploymentSpec
 * assembled from the whole form as the user types, with the API's shared
 * rules, and lists each error of a field filled in so far with its rule
 * code. With `llmOpsSpecFieldValidation`, the step cannot be left while the
 * rules find such an error.
 *
 * @public
 */
export function LlmOpsSpecField(
  props: FieldExtensionComponentProps<null, LlmOpsSpecFieldOptions>,
) {
  const { uiSchema, registry, formData, onChange } = props;
  const kind = kindOf(uiSchema);
  // Its value is null; set, so that the scaffolder runs its validation on "Next".
  useEffect(() => {
    if (formData === undefined) onChange(null);
  }, [formData, onChange]);

  const values = useFormValues(props, false);
  const live = useLiveSpecValidation(kind, values);
  const errors = errorsOfFilledFields(kind, live.errors, values);

  return (
    <div data-testid="llmops-spec-check">
      {errors.map(error => (
        <div key={`${error.path}:${error.rule}`}>
          <Typography variant="caption" color="textSecondary">
            {titleOf(registry.rootSchema, error.field)}
          </Typography>
          <FormHelperText error role="alert" data-testid="llmops-spec-error">
            {formatSpecError(error, titleOf(registry.rootSchema, error.field))}
          </FormHelperText>
        </div>
      ))}
      {live.failure && <FormHelperText>{live.failure}</FormHelperText>}
      {!live.failure && errors.length === 0 && (
        <FormHelperText>
          {live.pending
            ? `Checking the ${kind}…`
            : `The ${kind} passes every rule so far.`}
        </FormHelperText>
      )}
    </div>
  );
}

/**
 * Runs on "Next": a step cannot be left while the spec rules find an error
 * in a field filled in so far. It asks the API once more, with the values
 * submitted; when the API cannot be asked, it lets the step go (the API
 * checks the spec again when the template runs).
 *
 * @public
 */
export const llmOpsSpecFieldValidation: CustomFieldValidator<
  null,
  LlmOpsSpecFieldOptions
> = async (_data, field, context) => {
  const kind = kindOf(context.uiSchema);
  const values = (context.formData ?? {}) as Record<string, unknown>;
  const llmOpsApi = context.apiHolder.get(llmOpsApiRef);
  const catalogApi = context.apiHolder.get(catalogApiRef);
  if (!llmOpsApi || !catalogApi) return;
  let errors;
  try {
    errors = await validateSpecForm(kind, values, { llmOpsApi, catalogApi });
  } catch {
    return;
  }
  const messages = new Set(
    errorsOfFilledFields(kind, errors, values).map(e => formatSpecError(e)),
  );
  messages.forEach(message => field.addError(message));
};
