import { useEntity } from '@backstage/plugin-catalog-react';
import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_MLFLOW_MODEL,
  isDeploymentEntity,
} from '@llmops/plugin-llm-ops-common';
import { ToolUiFrame } from './common/ToolUiFrame';

/** A Model with a registered model in MLflow. */
export const hasMlflowModel = (entity: {
  metadata: { annotations?: Record<string, string> };
}) => !!entity.metadata.annotations?.[ANNOTATION_MLFLOW_MODEL];

/**
 * MLflow's own registered model page, embedded through the portal's
 * same-origin proxy (or a link-out where it can't be embedded).
 *
 * @public
 */
export function EntityMlflowModelContent() {
  const { entity } = useEntity();
  const name = entity.metadata.annotations?.[ANNOTATION_MLFLOW_MODEL] ?? '';
  return (
    <ToolUiFrame
      tool="mlflow"
      path={`#/models/${encodeURIComponent(name)}`}
      title={`MLflow: ${name}`}
      height={800}
    />
  );
}

/** A Deployment served by Ray Serve. */
export const isRayServeDeployment = (entity: Entity) =>
  isDeploymentEntity(entity) && entity.spec.backend === 'rayserve';

/**
 * The Ray dashboard's Serve page, embedded through the proxy (configure
 * `llmOps.ui.ray.url`), or a link-out.
 *
 * @public
 */
export function EntityRayDashboardContent() {
  return (
    <ToolUiFrame tool="ray" path="#/serve" title="Ray dashboard" height={800} />
  );
}
