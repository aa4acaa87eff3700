import { Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { Deployment, HistoryEntry } from '@llmops/plugin-llm-ops-common';
import useAsync from 'react-use/esm/useAsync';
import { llmOpsApiRef } from '../../api/LlmOpsApi';
import { formatDate } from '../pages/formatDate';

type Revision = HistoryEntry & { revision: number };

/** The entries that made a revision, oldest first. */
export function revisionsOf(history: HistoryEntry[]): Revision[] {
  return history.filter((h): h is Revision => typeof h.revision === 'number');
}

/**
 * The model the old revision serves: the newest earlier revision whose
 * model differs from the current one; the same model when every recorded
 * revision serves it; undefined when no earlier revision is recorded.
 */
export function oldModelOf(
  revisions: Revision[],
  current: string,
): string | undefined {
  const earlier = revisions.filter(r => r.model_ref);
  if (earlier.length < 2) return undefined;
  const other = [...earlier].reverse().find(r => r.model_ref !== current);
  return other?.model_ref ?? current;
}

function Actor({ actor }: { actor?: string }) {
  if (!actor) return <>a tool</>;
  if (actor.startsWith('service:')) return <code>{actor}</code>;
  return <EntityRefLink entityRef={actor} defaultKind="user" />;
}

const columns: TableColumn<Revision>[] = [
  { title: 'Revision', field: 'revision' },
  { title: 'Change', render: r => r.reason ?? r.status },
  {
    title: 'Model',
    render: r =>
      r.model_ref ? (
        <EntityRefLink entityRef={r.model_ref} defaultKind="model" />
      ) : (
        '—'
      ),
  },
  { title: 'By', render: r => <Actor actor={r.actor} /> },
  { title: 'When', render: r => formatDate(r.at) },
];

/**
 * Which model the old and the new revision serve, and every revision the
 * portal made, with who asked for it and when (each is also an auditor
 * event in the backend's log).
 */
export function RevisionHistory(props: { record: Deployment }) {
  const { record } = props;
  const api = useApi(llmOpsApiRef);
  const { value, error } = useAsync(
    () => api.getDeployment(record.id),
    // a new revision reloads it
    [api, record.id, record.revision],
  );
  if (error) {
    return (
      <Typography variant="body2" color="textSecondary">
        The revision history could not be read: {error.message}
      </Typography>
    );
  }
  if (!value) return null;
  const revisions = revisionsOf(value.history);
  const oldModel = oldModelOf(revisions, record.model_ref);
  return (
    <>
      <Box my={2}>
        <Typography variant="body2">
          New revision ({record.revision}):{' '}
          <EntityRefLink entityRef={record.model_ref} defaultKind="model" />
        </Typography>
        <Typography variant="body2">
          Old revision:{' '}
          {oldModel ? (
            <EntityRefLink entityRef={oldModel} defaultKind="model" />
          ) : (
            'none recorded before the portal deployed it'
          )}
        </Typography>
      </Box>
      <Table<Revision>
        title="Revision history"
        columns={columns}
        data={[...revisions].reverse()}
        options={{
          paging: revisions.length > 5,
          pageSize: 5,
          search: false,
          sorting: false,
          padding: 'dense',
        }}
      />
    </>
  );
}
