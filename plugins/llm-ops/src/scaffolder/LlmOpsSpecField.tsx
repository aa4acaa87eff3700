import { useEffect, useMemo, useState } from 'react';
import type { Entity } from '@backstage/catalog-model';
import {
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import { deriveServeTarget, JOB_TYPES } from '@llmops/plugin-llm-ops-common';
import FormHelperText from '@material-ui/core/FormHelperText';
import Typography from '@material-ui/core/Typography';
import { LiveSpecValidator, LiveValidationState } from './LiveSpecValidator';
import { resolveCatalogFilter, SpecKind } from './specFromForm';
import { TrainDefaultsStep } from './TrainDefaultsStep';

/**
 * The `ui:options` of `LlmOpsSpecField`.
 *
 * @public
 */
export interface LlmOpsSpecFieldOptions {
  /** Which spec the form builds: `TrainJobSpec` (default) or `DeploymentSpec`. */
  specKind?: SpecKind;
  /**
   * A field extension to render inside, such as `EntityPicker`; else the
   * schema's own field. (Not `field`: RJSF reads `ui:options.field` as
   * `ui:field`.)
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
   * On a step's root (TrainJobSpec): renders the step and keeps the
   * defaults per job type and method (`TRAIN_DEFAULTS`) in the form values.
   */
  trainDefaults?: boolean;
  [key: string]: unknown;
}

const validators = new Map<SpecKind, LiveSpecValidator>();

function useValidator(kind: SpecKind): LiveSpecValidator {
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const catalogApi = useApi(catalogApiRef);
  let validator = validators.get(kind);
  if (!validator) {
    validator = new LiveSpecValidator(kind, {
      discoveryApi,
      fetchApi,
      catalogApi,
    });
    validators.set(kind, validator);
  }
  return validator;
}

function useEntity(validator: LiveSpecValidator, ref: unknown) {
  const [entity, setEntity] = useState<Entity | undefined>();
  useEffect(() => {
    let current = true;
    if (typeof ref === 'string' && ref) {
      validator.loadEntity(ref).then(e => current && setEntity(e));
    } else {
      setEntity(undefined);
    }
    return () => {
      current = false;
    };
  }, [validator, ref]);
  return entity;
}

/** The `default` of each top-level property of a step's schema. */
function defaultsOf(schema: unknown): Record<string, unknown> {
  const properties = (schema as { properties?: Record<string, any> })
    ?.properties;
  return Object.fromEntries(
    Object.entries(properties ?? {})
      .filter(([, property]) => property?.default !== undefined)
      .map(([key, property]) => [key, property.default]),
  );
}

function ModelFacts({ entity }: { entity: Entity }) {
  const spec = (entity.spec ?? {}) as Record<string, any>;
  const jobType = JOB_TYPES.find(t => t === spec.jobType);
  const facts = [
    `family ${spec.family}`,
    jobType ? `trained by ${jobType}` : undefined,
    jobType
      ? `serve target ${deriveServeTarget(jobType)} (derived)`
      : undefined,
    `context length ${spec.maxPositionEmbeddings}`,
    spec.serving?.minGpus !== undefined
      ? `needs ${spec.serving.minGpus} GPU(s)${
          spec.serving.minGpuMemoryGb
            ? ` of ${spec.serving.minGpuMemoryGb} GB`
            : ''
        }`
      : undefined,
  ].filter(Boolean);
  return (
    <Typography
      variant="body2"
      color="textSecondary"
      data-testid="llmops-model-facts"
    >
      {facts.join(' · ')}
    </Typography>
  );
}

/**
 * A scaffolder form field that validates the whole spec as the user types,
 * with the API's shared rules (`POST /llm-ops/v1/*\/validate`, debounced),
 * and shows each error that concerns it under it, with its rule code. It
 * renders the schema's own field, or the field extension named in
 * `ui:options.wrappedField` (such as `EntityPicker`, whose `catalogFilter` may use
 * `${{ parameters.<name> }}`). With `ui:options.trainDefaults` on a step's
 * root, it renders the step and fills the defaults per job type and method
 * (see `TrainDefaultsStep`).
 */
export function LlmOpsSpecField(
  props: FieldExtensionComponentProps<any, LlmOpsSpecFieldOptions>,
) {
  const options = (props.uiSchema?.['ui:options'] ??
    {}) as LlmOpsSpecFieldOptions;
  if (options.trainDefaults) return <TrainDefaultsStep {...props} />;
  return <SpecInputField {...props} />;
}

function SpecInputField(
  props: FieldExtensionComponentProps<any, LlmOpsSpecFieldOptions>,
) {
  const { uiSchema, registry, name, formData, formContext, schema } = props;
  const options = (uiSchema?.['ui:options'] ?? {}) as LlmOpsSpecFieldOptions;
  const kind: SpecKind = options.specKind ?? 'TrainJobSpec';
  const validator = useValidator(kind);
  const [state, setState] = useState<LiveValidationState>(validator.state);
  useEffect(() => validator.subscribe(setState), [validator]);

  // The form's values: RJSF does not report the defaults it fills in until
  // the user changes something, so the step's defaults come first.
  const rootSchema = registry.rootSchema;
  const values = useMemo(
    () => ({
      ...defaultsOf(rootSchema),
      ...(formContext?.formData ?? {}),
      [name]: formData,
    }),
    [rootSchema, formContext?.formData, name, formData],
  );
  const valuesKey = JSON.stringify(values);
  useEffect(() => {
    validator.schedule(JSON.parse(valuesKey));
  }, [validator, valuesKey]);

  const picked = useEntity(validator, options.showModel ? formData : undefined);
  const bound = useEntity(
    validator,
    options.contextLengthOf ? values[options.contextLengthOf] : undefined,
  );
  const maxLength = bound?.spec?.maxPositionEmbeddings as number | undefined;
  const dataset = useEntity(
    validator,
    options.versionsOf ? values[options.versionsOf] : undefined,
  );
  const versions = (
    (dataset?.spec?.versions ?? []) as Array<{
      version?: string;
    }>
  )
    .map(v => v.version)
    .filter((v): v is string => typeof v === 'string');

  const {
    wrappedField: field,
    catalogFilter,
    specKind: _k,
    showModel: _s,
    contextLengthOf: _c,
    versionsOf: _v,
    ...innerOptions
  } = options;
  const resolvedFilter =
    catalogFilter === undefined
      ? undefined
      : resolveCatalogFilter(catalogFilter, values);
  const innerUiSchema = {
    ...uiSchema,
    'ui:field': undefined,
    'ui:options': {
      ...innerOptions,
      ...(resolvedFilter === undefined
        ? {}
        : { catalogFilter: resolvedFilter }),
    },
  };
  const innerSchema =
    maxLength !== undefined ? { ...schema, maximum: maxLength } : schema;

  let Inner;
  if (field) {
    Inner = registry.fields[field];
  } else if (schema.type === 'number' || schema.type === 'integer') {
    Inner = registry.fields.NumberField;
  } else if (schema.type === 'boolean') {
    Inner = registry.fields.BooleanField;
  } else {
    Inner = registry.fields.StringField;
  }

  const hasValue =
    formData !== undefined && formData !== null && formData !== '';
  const errors = hasValue ? validator.errorsFor(name, state) : [];

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
          {...(props as any)}
          schema={innerSchema}
          uiSchema={innerUiSchema}
        />
      ) : (
        <Typography color="error">Unknown field {String(field)}</Typography>
      )}
      {picked && <ModelFacts entity={picked} />}
      {maxLength !== undefined && (
        <FormHelperText>
          At most {maxLength}: the context length of{' '}
          {String(values[options.contextLengthOf!])}
        </FormHelperText>
      )}
      {versions.length > 0 && (
        <FormHelperText>
          Versions of {String(values[options.versionsOf!])}:{' '}
          {versions.join(', ')}
          {hasValue && !versions.includes(String(formData))
            ? ` (${String(formData)} is not one of them)`
            : ''}
        </FormHelperText>
      )}
      {errors.map(error => (
        <FormHelperText
          key={`${error.path}:${error.rule}`}
          error
          role="alert"
          data-testid="llmops-spec-error"
        >
          {error.message} ({error.rule})
        </FormHelperText>
      ))}
      {state.failure && name === 'job_type' && (
        <FormHelperText>{state.failure}</FormHelperText>
      )}
    </>
  );
}

/**
 * Runs on "Next": a step cannot be left while the spec rules find an error
 * in one of its fields. The validator is not told its field's name, so the
 * errors of the fields holding this value are reported.
 */
export const llmOpsSpecFieldValidation: CustomFieldValidator<
  unknown,
  LlmOpsSpecFieldOptions
> = async (data, field, context) => {
  const options = (context.uiSchema?.['ui:options'] ??
    {}) as LlmOpsSpecFieldOptions;
  const validator = validators.get(options.specKind ?? 'TrainJobSpec');
  if (!validator || data === undefined || data === '') return;
  const formData = (context.formData ?? {}) as Record<string, unknown>;
  validator.schedule(formData);
  const state = await validator.flush();
  const messages = new Set(
    Object.keys(formData)
      .filter(key => formData[key] === data)
      .flatMap(key => validator.errorsFor(key, state))
      .map(error => `${error.message} (${error.rule})`),
  );
  messages.forEach(message => field.addError(message));
};
