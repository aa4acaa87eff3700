import { LlmOpsEntityField } from './LlmOpsEntityField';
import { LlmOpsSpecField, llmOpsSpecFieldValidation } from './LlmOpsSpecField';
import { TrainDefaultsStep } from './TrainDefaultsStep';

/** The fields' names, as templates use them in `ui:field`. */
export const LLM_OPS_SPEC_FIELD_NAME = 'LlmOpsSpecField';
export const LLM_OPS_ENTITY_FIELD_NAME = 'LlmOpsEntityField';
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
