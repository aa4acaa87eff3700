import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { llmOpsSpecFieldOptions } from './fields';

/** The `LlmOpsSpecField` form field for the new frontend system. */
export const llmOpsSpecFormField = createFormField(llmOpsSpecFieldOptions);
