import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Alert from '@material-ui/lab/Alert';
import { DatasetVersion, isDatasetEntity } from '@llmops/plugin-llm-ops-common';
import useAsync from 'react-use/esm/useAsync';
import { llmOpsApiRef } from '../../api/LlmOpsApi';
import { StaleBanner } from '../common/StaleBanner';
import { formatBytes } from '../model/format';

/** A URL as a link when the browser can open it, else as text. */
function StorageUrl({ url }: { url?: string }) {
  if (!url) return <>—</>;
  return /^https?:\/\//.test(url) ? (
    <Link to={url}>{url}</Link>
  ) : (
    <code>{url}</code>
  );
}

const columns: TableColumn<DatasetVersion>[] = [
  { title: 'Version', field: 'version', highlight: true },
  { title: 'Date', render: v => v.date ?? '—' },
  { title: 'MD5', render: v => (v.md5 ? <code>{v.md5}</code> : '—') },
  { title: 'Size', align: 'right', render: v => formatBytes(v.size) },
  {
    title: 'Files',
    align: 'right',
    render: v => v.files?.toLocaleString('en-US') ?? '—',
  },
  { title: 'URL', render: v => <StorageUrl url={v.url} /> },
];

/**
 * The versions of the current Dataset entity as DVC reports them, with its
 * storage location and DVC repository. When DVC is down and nothing was
 * fetched before, the versions recorded in the entity are shown instead.
 *
 * @public
 */
export function DatasetVersionsCard() {
  const { entity } = useEntity();
  const api = useApi(llmOpsApiRef);
  const name = entity.metadata.name;
  const namespace = entity.metadata.namespace ?? 'default';
  const live = isDatasetEntity(entity) && !!entity.spec.dvc;
  const { value, loading, error } = useAsync(
    async () => (live ? api.listDatasetVersions(name, namespace) : undefined),
    [api, name, namespace, live],
  );
  if (!isDatasetEntity(entity)) return null;
  const { spec } = entity;

  const location: Record<string, JSX.Element> = {
    Storage: <StorageUrl url={spec.storageUri} />,
  };
  if (spec.dvc) {
    location['DVC repository'] = <StorageUrl url={spec.dvc.repo} />;
    location['DVC path'] = <code>{spec.dvc.path}</code>;
  }

  const recorded = spec.versions ?? [];
  // Why the versions shown are the catalog's own, if they are.
  let fallBackReason: string | undefined;
  if (!live) {
    fallBackReason =
      'The entity names no DVC repository (spec.dvc), so these are the versions recorded in the catalog entity.';
  } else if (error) {
    fallBackReason = `DVC could not be asked (${error.message}), so these are the versions recorded in the catalog entity.`;
  } else if (
    value?.unavailable?.reason === 'not-configured' &&
    value.items.length === 0
  ) {
    fallBackReason = `The portal's DVC configuration (llmOps.integrations.dvc.repos) does not include this dataset's repository, ${spec.dvc?.repo}, so these are the versions recorded in the catalog entity.`;
  } else if (value?.stale && value.items.length === 0) {
    fallBackReason =
      "These are the versions recorded in the catalog entity: DVC's own answer could not be read.";
  }

  let body;
  if (loading) {
    body = <Progress />;
  } else if (error && recorded.length === 0) {
    body = <ResponseErrorPanel error={error} />;
  } else {
    const versions = (fallBackReason ? recorded : value?.items) ?? [];
    body = (
      <>
        {value && (
          <StaleBanner
            reads={[value]}
            fallback="the versions recorded in the catalog entity"
          />
        )}
        {/* a stale read's banner already says where the versions come from */}
        {fallBackReason && !value?.stale && recorded.length > 0 && (
          <Box mb={2}>
            <Alert severity="info">{fallBackReason}</Alert>
          </Box>
        )}
        {versions.length === 0 ? (
          <EmptyState
            missing="data"
            title="No versions"
            description={`No version of ${name} is recorded.`}
          />
        ) : (
          <Table<DatasetVersion>
            title="Versions"
            columns={columns}
            data={versions}
            options={{
              paging: versions.length > 10,
              pageSize: 10,
              search: false,
              sorting: false,
              padding: 'dense',
            }}
          />
        )}
      </>
    );
  }

  return (
    <InfoCard title="Dataset versions">
      <Box mb={2}>
        <StructuredMetadataTable metadata={location} />
      </Box>
      {body}
    </InfoCard>
  );
}
