import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { isModelEntity } from '@llmops/plugin-llm-ops-common';

/**
 * A Model's overview: family, context length, source, owner and lifecycle.
 *
 * @public
 */
export function ModelOverviewCard() {
  const { entity } = useEntity();
  if (!isModelEntity(entity)) return null;
  const { spec } = entity;
  const metadata: Record<string, string | number> = {
    Type: spec.type,
    Family: spec.family,
    'Context length': spec.maxPositionEmbeddings.toLocaleString('en-US'),
    Source: spec.source,
    Owner: spec.owner,
    Lifecycle: spec.lifecycle,
  };
  if (spec.parameterCount) {
    metadata.Parameters = spec.parameterCount.toLocaleString('en-US');
  }
  if (spec.baseModel) metadata['Base model'] = spec.baseModel;
  if (spec.jobType) metadata['Job type'] = spec.jobType;
  return (
    <InfoCard title="Model">
      <StructuredMetadataTable metadata={metadata} />
    </InfoCard>
  );
}
