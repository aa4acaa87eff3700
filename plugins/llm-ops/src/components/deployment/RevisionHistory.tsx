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

/** What a revision serves: a Model, and the registry version its spec pins. */
export interface Served {
  model_ref: string;
  model_version?: string;
}

const sameServed = (a: Served, b: Served) =>
  a.model_ref === b.model_ref && a.model_version === b.model_version;

/**
 * What the old revision serves: the newest earlier revision whose model or
 * model version differs from the current one; the same when every recorded
 * revision serves it; undefined when no earlier revision is recorded.
 */
export function oldServedOf(
  revisions: Revision[],
  current: Served,
): Served | undefined {
  const earlier = revisions.filter(
    (r): r is Revision & Served => !!r.model_ref,
  );
  if (earlier.length < 2) return undefined;
  const other = [...earlier].reverse().find(r => !sameServed(r, current));
  return other
    ? { model_ref: other.model_ref, model_version: other.model_version }
    : current;
}

/** A Model's link, with the registry version when one is pinned. */
function ServedModel({ served }: { served: Served }) {
  return (
    <>
      <EntityRefLink entityRef={served.model_ref} defaultKind="model" />
      {served.model_version ? ` version ${served.model_version}` : ''}
    </>
  );
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
        <ServedModel
          served={{ model_ref: r.model_ref, model_version: r.model_version }}
        />
      ) : (
        '—'
      ),
  },
  { title: 'By', render: r => <Actor actor={r.actor} /> },
  { title: 'When', render: r => formatDate(r.at) },
];

/**
 * Which model (and registry version) the old and the new revision serve, and every revision the
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
  const current: Served = {
    model_ref: record.model_ref,
    model_version:
      typeof record.spec?.model_version === 'string'
        ? record.spec.model_version
        : undefined,
  };
  const oldServed = oldServedOf(revisions, current);
  return (
    <>
      <Box my={2}>
        <Typography variant="body2">
          New revision ({record.revision}): <ServedModel served={current} />
        </Typography>
        <Typography variant="body2">
          Old revision:{' '}
          {oldServed ? (
            <ServedModel served={oldServed} />
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
