import { LlmOpsEntityField } from './LlmOpsEntityField';
import { LlmOpsSpecField, llmOpsSpecFieldValidation } from './LlmOpsSpecField';
import { TrainDefaultsStep } from './TrainDefaultsStep';

/** The spec check's field name, as templates use it in `ui:field`. @public */
export const LLM_OPS_SPEC_FIELD_NAME = 'LlmOpsSpecField';
/** The catalog field's name in `ui:field`. @public */
export const LLM_OPS_ENTITY_FIELD_NAME = 'LlmOpsEntityField';
/** The Train form's step root field name in `ui:field`. @public */
export const LLM_OPS_TRAIN_DEFAULTS_FIELD_NAME = 'LlmOpsTrainDefaults';

/** A step's spec check: live validation, and no "Next" past an error. */
export const llmOpsSpecFieldOptions = {
  name: LLM_OPS_SPEC_FIELD_NAME,
  component: LlmOpsSpecField,
  validation: llmOpsSpecFieldValidation,
};

/** An entity picker with a filter from the form, or a value hinted by a picked entity. */
export const llmOpsEntityFieldOptions = {
  name: LLM_OPS_ENTITY_FIELD_NAME,
  component: LlmOpsEntityField,
};

/** A step's root that keeps the training defaults per job type and method. */
export const llmOpsTrainDefaultsFieldOptions = {
  name: LLM_OPS_TRAIN_DEFAULTS_FIELD_NAME,
  component: TrainDefaultsStep,
};
