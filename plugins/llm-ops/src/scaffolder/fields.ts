import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { LlmOpsSpecField, llmOpsSpecFieldValidation } from './LlmOpsSpecField';

/** The field's name, as templates use it in `ui:field`. */
export const LLM_OPS_SPEC_FIELD_NAME = 'LlmOpsSpecField';

/**
 * The `LlmOpsSpecField` scaffolder field for the legacy frontend system:
 * live validation of a TrainJobSpec or DeploymentSpec under each field.
 */
export const llmOpsSpecFieldOptions = {
  name: LLM_OPS_SPEC_FIELD_NAME,
  component: LlmOpsSpecField,
  validation: llmOpsSpecFieldValidation,
};

export const createLlmOpsSpecFieldExtension = () =>
  createScaffolderFieldExtension(llmOpsSpecFieldOptions);
