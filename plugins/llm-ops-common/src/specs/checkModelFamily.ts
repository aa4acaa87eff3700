import { show } from './checkStructure';
import type { SpecValidationError } from './types';

/** The `model_family.not_allowed` rule, shared by both spec kinds. */
export function checkModelFamily(
  family: string | undefined,
  allowed: readonly string[],
  errors: SpecValidationError[],
) {
  if (family === undefined || allowed.includes(family)) {
    return;
  }
  const lower = family.toLowerCase();
  const hint = allowed.includes(lower) ? ` (did you mean ${lower}?)` : '';
  errors.push({
    path: 'model_family',
    rule: 'model_family.not_allowed',
    message: `model_family ${show(
      family,
    )} is not allowed${hint}; use one of ${allowed.join(
      ', ',
    )}, or add it to llmOps.modelFamilies`,
  });
}
