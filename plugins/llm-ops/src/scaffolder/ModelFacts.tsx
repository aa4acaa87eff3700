import type { Entity } from '@backstage/catalog-model';
import {
  deriveServeTarget,
  JOB_TYPES,
  type ModelEntity,
} from '@llmops/plugin-llm-ops-common';
import Typography from '@material-ui/core/Typography';

/** A picked Model's family, job type, serve target, context length and serving needs. */
export function ModelFacts({ entity }: { entity: Entity }) {
  // Read as a Model's, each field may be missing from a malformed entity.
  const spec = (entity.spec ?? {}) as Partial<ModelEntity['spec']>;
  const jobType = JOB_TYPES.find(t => t === spec.jobType);
  const facts = [
    `family ${spec.family}`,
    jobType ? `trained by ${jobType}` : undefined,
    jobType
      ? `serve target ${deriveServeTarget(jobType)} (derived)`
      : undefined,
    `context length ${spec.maxPositionEmbeddings}`,
    spec.serving?.minGpus !== undefined
      ? `needs ${spec.serving.minGpus} GPU(s)${
          spec.serving.minGpuMemoryGb
            ? ` of ${spec.serving.minGpuMemoryGb} GB`
            : ''
        }`
      : undefined,
  ].filter(Boolean);
  return (
    <Typography
      variant="body2"
      color="textSecondary"
      data-testid="llmops-model-facts"
    >
      {facts.join(' · ')}
    </Typography>
  );
}
