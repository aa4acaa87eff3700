import {
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import type { DeploymentEntity } from '@llmops/plugin-llm-ops-common';

/** The health the deployment's serving tool last reported to the catalog. */
export function DeploymentHealth({ entity }: { entity: DeploymentEntity }) {
  const status = entity.spec.status;
  if (status?.ready === undefined)
    return <StatusPending>not reported</StatusPending>;
  if (status.ready) return <StatusOK>ready</StatusOK>;
  const failing = status.conditions?.find(c => c.status === 'False');
  return (
    <StatusWarning>
      not ready{failing?.reason ? ` (${failing.reason})` : ''}
    </StatusWarning>
  );
}
