import { isRecord, show } from './checkStructure';
import { validateDeploymentSpec } from './validateDeploymentSpec';
import { validateTrainJobSpec } from './validateTrainJobSpec';
import type {
  DeploymentSpec,
  SpecValidationOptions,
  SpecValidationResult,
  TrainJobSpec,
} from './types';

/**
 * Validates a TrainJobSpec or a DeploymentSpec, chosen by its `kind`.
 *
 * @public
 */
export async function validateSpec(
  doc: unknown,
  options: SpecValidationOptions,
): Promise<SpecValidationResult<TrainJobSpec | DeploymentSpec>> {
  const kind = isRecord(doc) ? doc.kind : undefined;
  if (kind === 'TrainJobSpec') {
    return validateTrainJobSpec(doc, options);
  }
  if (kind === 'DeploymentSpec') {
    return validateDeploymentSpec(doc, options);
  }
  return {
    valid: false,
    errors: [
      {
        path: isRecord(doc) ? 'kind' : '',
        rule: 'schema',
        message: isRecord(doc)
          ? `kind must be TrainJobSpec or DeploymentSpec, got ${show(kind)}`
          : `the document must be a mapping with kind TrainJobSpec or DeploymentSpec, got ${show(
              doc,
            )}`,
      },
    ],
  };
}
