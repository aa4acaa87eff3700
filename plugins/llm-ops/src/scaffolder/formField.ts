import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import {
  llmOpsEntityFieldOptions,
  llmOpsSpecFieldOptions,
  llmOpsTrainDefaultsFieldOptions,
} from './fields';

// The form fields for the new frontend system.
export const llmOpsSpecFormField = createFormField(llmOpsSpecFieldOptions);
export const llmOpsEntityFormField = createFormField(llmOpsEntityFieldOptions);
export const llmOpsTrainDefaultsFormField = createFormField(
  llmOpsTrainDefaultsFieldOptions,
);
