export { LlmOpsSpecField, llmOpsSpecFieldValidation } from './LlmOpsSpecField';
export type { LlmOpsSpecFieldOptions } from './LlmOpsSpecField';
export { LlmOpsEntityField } from './LlmOpsEntityField';
export type { LlmOpsEntityFieldOptions } from './LlmOpsEntityField';
export {
  LLM_OPS_SPEC_FIELD_NAME,
  LLM_OPS_ENTITY_FIELD_NAME,
  LLM_OPS_TRAIN_DEFAULTS_FIELD_NAME,
} from './fields';
export type { SpecKind } from './specFromForm';
