import { useEffect } from 'react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import FormHelperText from '@material-ui/core/FormHelperText';
import Typography from '@material-ui/core/Typography';
import { ModelFacts } from './ModelFacts';
import { resolveCatalogFilter } from './specFromForm';
import { useEmptyPickerReason, useEntityByRef } from './useEntityByRef';
import { hasValue, useFormValues } from './useFormValues';
import { useRegistryChoices } from './useRegistryChoices';

/**
 * The `ui:options` of `LlmOpsEntityField`.
 *
 * @public
 */
export interface LlmOpsEntityFieldOptions {
  /**
   * The field extension to render inside: `EntityPicker` by default when a
   * `catalogFilter` is given, else the schema's own field. (Not `field`:
   * RJSF reads `ui:options.field` as `ui:field`.)
   */
  wrappedField?: string;
  /** Passed to the inner field, with `${{ parameters.<name> }}` resolved from the form. */
  catalogFilter?: unknown;
  /** Shows the picked Model's family, job type, serve target, context length and serving needs. */
  showModel?: boolean;
  /** Bounds this number by the context length of the Model picked in the named field. */
  contextLengthOf?: string;
  /** Lists the versions of the Dataset picked in the named field. */
  versionsOf?: string;
  /**
   * Offers the versions and aliases of the MLflow registered model of the
   * Model picked in the named field (a DeploymentSpec's `model_version`).
   */
  registryVersionsOf?: string;
  [key: string]: unknown;
}

/** The inner field for a schema, by its type. */
function innerFieldName(type: unknown) {
  if (type === 'number' || type === 'integer') return 'NumberField';
  if (type === 'boolean') return 'BooleanField';
  return 'StringField';
}

/**
 * A scaffolder form field that reads the catalog: an entity picker whose
 * `catalogFilter` may use `${{ parameters.<name> }}` (and
 * `${{ parameters.job_type | datasetType }}`), with the picked Model's facts
 * (`showModel`); or a value with what an entity picked in another field says
 * about it, such as the versions of a Dataset (`versionsOf`) or the context
 * length of a Model that bounds it (`contextLengthOf`).
 *
 * @public
 */
export function LlmOpsEntityField(
  props: FieldExtensionComponentProps<unknown, LlmOpsEntityFieldOptions>,
) {
  const { uiSchema, registry, formData, schema } = props;
  const {
    wrappedField,
    catalogFilter,
    showModel,
    contextLengthOf,
    versionsOf,
    registryVersionsOf,
    ...innerOptions
  } = (uiSchema?.['ui:options'] ?? {}) as LlmOpsEntityFieldOptions;
  const values = useFormValues(props);

  const picked = useEntityByRef(showModel ? formData : undefined);
  const bound = useEntityByRef(
    contextLengthOf ? values[contextLengthOf] : undefined,
  );
  const maxLength = bound?.spec?.maxPositionEmbeddings as number | undefined;
  const dataset = useEntityByRef(versionsOf ? values[versionsOf] : undefined);
  const versions = (
    (dataset?.spec?.versions ?? []) as Array<{ version?: unknown }>
  )
    .map(v => v.version)
    .filter((v): v is string => typeof v === 'string');

  const registered = useRegistryChoices(
    useEntityByRef(registryVersionsOf ? values[registryVersionsOf] : undefined),
  );
  const choices = registered?.choices ?? [];

  // once a dataset (or a registered model) is picked, an empty version
  // becomes its newest (or the model's champion, if it has one)
  const newest =
    versions[0] ??
    (
      choices.find(c => c.value === '@champion') ??
      choices.find(c => !c.value.startsWith('@'))
    )?.value;
  const empty = !hasValue(formData);
  useEffect(() => {
    if (newest && empty) props.onChange(newest);
    // props.onChange is a new function each render
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [newest, empty]);
  const unknownVersion =
    versions.length > 0 && !empty && !versions.includes(String(formData));
  // a choice the registry no longer has (say, a deleted alias) stays visible
  const offered =
    choices.length > 0 && !empty && !choices.some(c => c.value === formData)
      ? [
          ...choices,
          {
            value: String(formData),
            label: `${String(formData)} (not in the registry)`,
          },
        ]
      : choices;

  const resolvedFilter =
    catalogFilter === undefined
      ? undefined
      : resolveCatalogFilter(catalogFilter, values);
  const emptyPicker = useEmptyPickerReason(resolvedFilter);
  const fieldName =
    wrappedField ??
    (catalogFilter === undefined
      ? innerFieldName(schema.type)
      : 'EntityPicker');
  const Inner = registry.fields[fieldName];
  const innerUiSchema = {
    ...uiSchema,
    'ui:field': undefined,
    'ui:options': {
      ...innerOptions,
      ...(resolvedFilter === undefined
        ? {}
        : { catalogFilter: resolvedFilter }),
      ...(offered.length ? { enumNames: offered.map(c => c.label) } : {}),
    },
  };
  let innerSchema = schema;
  if (maxLength !== undefined) innerSchema = { ...schema, maximum: maxLength };
  if (offered.length)
    innerSchema = { ...schema, enum: offered.map(c => c.value) };

  return (
    <>
      {Inner ? (
        <Inner
          // A new filter makes the picker load its options again.
          key={
            resolvedFilter === undefined
              ? 'field'
              : JSON.stringify(resolvedFilter)
          }
          {...props}
          schema={innerSchema}
          uiSchema={innerUiSchema}
        />
      ) : (
        <Typography color="error">Unknown field {fieldName}</Typography>
      )}
      {picked && <ModelFacts entity={picked} />}
      {maxLength !== undefined && (
        <FormHelperText>
          At most {maxLength}: the context length of{' '}
          {String(values[contextLengthOf!])}
        </FormHelperText>
      )}
      {versions.length > 0 && (
        <FormHelperText error={unknownVersion}>
          Versions of {String(values[versionsOf!])}: {versions.join(', ')}
          {unknownVersion ? ` (${String(formData)} is not one of them)` : ''}
        </FormHelperText>
      )}
      {registered?.note && <FormHelperText>{registered.note}</FormHelperText>}
      {emptyPicker && <FormHelperText error>{emptyPicker}</FormHelperText>}
    </>
  );
}
