import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import Tooltip from '@material-ui/core/Tooltip';
import { isModelEntity } from '@llmops/plugin-llm-ops-common';
import { formatParameterCount } from './model/format';

/**
 * A Model's overview: family, context length, source, owner and lifecycle.
 *
 * @public
 */
export function ModelOverviewCard() {
  const { entity } = useEntity();
  if (!isModelEntity(entity)) return null;
  const { spec } = entity;
  const metadata: Record<string, React.ReactNode> = {
    Type: spec.type,
    Family: spec.family,
    'Context length': `${spec.maxPositionEmbeddings.toLocaleString(
      'en-US',
    )} tokens`,
    Source: <code style={{ overflowWrap: 'anywhere' }}>{spec.source}</code>,
    Owner: <EntityRefLink entityRef={spec.owner} defaultKind="group" />,
    Lifecycle: spec.lifecycle,
  };
  if (spec.parameterCount) {
    metadata.Parameters = (
      <Tooltip title={spec.parameterCount.toLocaleString('en-US')}>
        <span>{formatParameterCount(spec.parameterCount)}</span>
      </Tooltip>
    );
  }
  if (spec.baseModel) {
    metadata['Base model'] = (
      <EntityRefLink entityRef={spec.baseModel} defaultKind="model" />
    );
  }
  if (spec.jobType) metadata['Job type'] = spec.jobType;
  return (
    <InfoCard title="Model">
      <StructuredMetadataTable metadata={metadata} />
    </InfoCard>
  );
}
