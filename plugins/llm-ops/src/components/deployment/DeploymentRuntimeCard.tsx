import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useEntity } from '@backstage/plugin-catalog-react';
import { isDeploymentEntity } from '@llmops/plugin-llm-ops-common';
import { StaleBanner } from '../common/StaleBanner';
import { useLiveDeployment } from './useLiveDeployment';

const NOT_SET = 'not set';

/**
 * A Deployment entity's endpoint (live from the serving tool when it reports
 * one), where it runs, and its runtime limits.
 *
 * @public
 */
export function DeploymentRuntimeCard() {
  const { entity } = useEntity();
  const live = useLiveDeployment(entity.metadata.name);
  if (!isDeploymentEntity(entity)) return null;
  if (live.loading) {
    return (
      <InfoCard title="Runtime">
        <Progress />
      </InfoCard>
    );
  }
  const { spec } = entity;
  const liveUrl = live.value?.status?.url;
  const url = liveUrl ?? spec.endpoint;
  // The endpoint sits above the table, across the card: in the narrow
  // table column a URL wrapped one character per line.
  const endpoint = url ? (
    <>
      <Link
        to={url}
        data-testid="llmops-endpoint"
        style={{ overflowWrap: 'anywhere' }}
      >
        {url}
      </Link>
      {liveUrl && ' (live)'}
    </>
  ) : (
    NOT_SET
  );
  const metadata = {
    Environment: spec.environment,
    Backend: spec.backend,
    Cluster: spec.cluster,
    Namespace: spec.namespace,
    'Max concurrent requests': spec.runtime?.maxConcurrentRequests ?? NOT_SET,
    'Max input tokens': spec.runtime?.maxInputTokens ?? NOT_SET,
    'Max output tokens': spec.runtime?.maxOutputTokens ?? NOT_SET,
  };
  return (
    <InfoCard title="Runtime">
      {live.error && <ResponseErrorPanel error={live.error} />}
      <StaleBanner reads={[live.value?.status]} />
      <Box mb={1}>
        <Typography variant="overline" component="div">
          Endpoint
        </Typography>
        <Typography variant="body2">{endpoint}</Typography>
      </Box>
      <StructuredMetadataTable metadata={metadata} />
    </InfoCard>
  );
}
