export { LlmOpsSpecField, llmOpsSpecFieldValidation } from './LlmOpsSpecField';
export type { LlmOpsSpecFieldOptions } from './LlmOpsSpecField';
export { LLM_OPS_SPEC_FIELD_NAME } from './fields';
