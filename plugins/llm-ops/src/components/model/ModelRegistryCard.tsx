import { useMemo, useState } from 'react';
import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  EntityRefLink,
  MissingAnnotationEmptyState,
  useEntity,
  useRelatedEntities,
} from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import CircularProgress from '@material-ui/core/CircularProgress';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  aliasProblem,
  ANNOTATION_MLFLOW_MODEL,
  isModelEntity,
  modelAliasResourceRefOf,
  modelAliasUpdatePermission,
  RegisteredModel,
  RegisteredModelRead,
  RELATION_SERVED_BY,
} from '@llmops/plugin-llm-ops-common';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { LlmOpsApi, llmOpsApiRef } from '../../api/LlmOpsApi';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { StaleBanner } from '../common/StaleBanner';
import { formatPairs, formatTime } from './format';
import {
  buildRegistryView,
  catalogDifferences,
  describeCatalogDifferences,
  RegistryView,
  sortVersions,
  VersionRow,
} from './registryView';
import { fetchModelRuns, getMlflowModelName } from './runs';

/** Lists without bullets or indents, for the cells of the versions table. */
const plainList = { listStyle: 'none', margin: 0, padding: 0 } as const;

/** The columns of the versions table; a Deployment entity links a deployment by name. */
function versionColumns(
  deploymentEntities: Map<string, Entity>,
): TableColumn<VersionRow>[] {
  return [
    {
      title: 'Version',
      field: 'version',
      highlight: true,
      // the version's tags are MLflow's detail: its tooltip
      render: row => (
        <Box
          display="flex"
          alignItems="center"
          style={{ gap: 8 }}
          title={formatPairs(row.tags) || undefined}
        >
          <span>{row.version}</span>
          {row.catalogSource && (
            <Chip
              size="small"
              variant="outlined"
              label="catalog source"
              title="The Model entity's spec.source names this version"
            />
          )}
        </Box>
      ),
    },
    {
      title: 'Aliases',
      render: row =>
        row.aliases.length ? (
          <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
            {row.aliases.map(alias => (
              <Chip
                key={alias}
                size="small"
                color="primary"
                variant="outlined"
                label={alias}
              />
            ))}
          </Box>
        ) : (
          '—'
        ),
    },
    {
      title: 'Run',
      render: row => {
        const run = row.run;
        if (!run) return '—';
        // the full id is MLflow's; a run not read from MLflow shows eight characters of it
        if (!run.known) return <code title={run.id}>{run.label}</code>;
        return (
          <span style={{ whiteSpace: 'nowrap' }}>
            {run.url ? (
              <Link to={run.url} title={run.id}>
                {run.label}
              </Link>
            ) : (
              <span title={run.id}>{run.label}</span>
            )}
          </span>
        );
      },
    },
    {
      title: 'Serving',
      render: row =>
        row.serving.length ? (
          <ul style={plainList}>
            {row.serving.map(place => (
              <li
                key={place.deploymentId}
                title={
                  place.via === 'model_version'
                    ? `Pinned to version ${row.version} by its model_version`
                    : `Serves the Model's source, version ${row.version}`
                }
              >
                <EntityRefLink
                  entityRef={
                    deploymentEntities.get(place.name) ?? {
                      kind: 'deployment',
                      namespace: 'default',
                      name: place.name,
                    }
                  }
                >
                  {place.label}
                </EntityRefLink>
                {place.status !== 'ready' && ` (${place.status})`}
              </li>
            ))}
          </ul>
        ) : (
          '—'
        ),
    },
    { title: 'Status', render: row => row.status ?? '—' },
    {
      title: 'Created',
      render: row => (
        <span style={{ whiteSpace: 'nowrap' }}>
          {formatTime(row.createdAt)}
        </span>
      ),
    },
  ];
}

/** What the versions are joined with, each read on its own: one that fails leaves the rest. */
interface RegistryContext {
  runs?: Awaited<ReturnType<typeof fetchModelRuns>>;
  deployments?: Awaited<ReturnType<LlmOpsApi['listDeployments']>>;
  mlflowUrl?: string;
  /** What could not be read, in words. */
  problems: string[];
}

async function readContext(
  api: LlmOpsApi,
  name: string,
  modelRef: string,
): Promise<RegistryContext> {
  const [runs, deployments, uis] = await Promise.allSettled([
    Promise.resolve().then(() => fetchModelRuns(api, name)),
    Promise.resolve().then(() => api.listDeployments({ model_ref: modelRef })),
    Promise.resolve().then(() => api.listToolUis()),
  ]);
  const problems: string[] = [];
  const why = (result: PromiseRejectedResult) =>
    (result.reason as Error)?.message ?? String(result.reason);
  if (runs.status === 'rejected') {
    problems.push(
      `The runs could not be read, so runs show by id (${why(runs)}).`,
    );
  }
  if (deployments.status === 'rejected') {
    problems.push(
      `The portal's deployments could not be read, so where each version serves is unknown (${why(
        deployments,
      )}).`,
    );
  }
  return {
    runs: runs.status === 'fulfilled' ? runs.value : undefined,
    deployments:
      deployments.status === 'fulfilled' ? deployments.value : undefined,
    // without MLflow's address for users, runs are not linked
    mlflowUrl:
      uis.status === 'fulfilled'
        ? uis.value.find(ui => ui.tool === 'mlflow')?.publicUrl
        : undefined,
    problems,
  };
}

/** The catalog's copy of the registry, in the shape of MLflow's answer. */
function catalogRegistry(
  entity: Entity,
  read: RegisteredModelRead,
): RegisteredModelRead | undefined {
  const registry = isModelEntity(entity) ? entity.spec.registry : undefined;
  if (!registry?.versions?.length) return undefined;
  return {
    ...read,
    aliases: registry.aliases ?? {},
    versions: registry.versions.map(v => ({
      version: v.version,
      status: v.status,
      runId: v.runId,
      source: v.source,
      createdAt: v.createdAt ? Date.parse(v.createdAt) : undefined,
    })),
  };
}

/** The aliases of a registered model, as `alias → version` chips. */
function Aliases({ aliases }: { aliases: Record<string, string> }) {
  const entries = Object.entries(aliases).sort(([a], [b]) =>
    a.localeCompare(b),
  );
  if (entries.length === 0) {
    return <Typography variant="body2">No aliases are set.</Typography>;
  }
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
      {entries.map(([alias, version]) => (
        <Chip
          key={alias}
          label={`${alias} → ${version}`}
          color="primary"
          variant="outlined"
        />
      ))}
    </Box>
  );
}

/** Points an alias, existing or new, at a version. */
function PromoteAlias(props: {
  model: RegisteredModel;
  onPromoted: () => void;
}) {
  const { model, onPromoted } = props;
  const api = useApi(llmOpsApiRef);
  const versions = sortVersions(model.versions);
  const [alias, setAlias] = useState('');
  // The policy may allow some aliases and not others (only release managers move champion).
  const { allowed, loading: checking } = usePermission({
    permission: modelAliasUpdatePermission,
    resourceRef: modelAliasResourceRefOf(model.name, alias.trim() || 'new'),
  });
  const [version, setVersion] = useState(versions[0]?.version ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const [queued, setQueued] = useState<string>();
  const [asking, setAsking] = useState(false);
  const current = model.aliases[alias.trim()];
  // the API's rule for alias names, in words; nothing to say while the field is empty
  const problem = alias.trim() ? aliasProblem(alias.trim()) : undefined;

  const promote = async () => {
    setBusy(true);
    setError(undefined);
    setQueued(undefined);
    try {
      const result = await api.setModelAlias(model.name, alias.trim(), version);
      if (result.status === 'queued') {
        setQueued(`${alias.trim()} → ${version}`);
      }
      onPromoted();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  const button = (
    <Button
      variant="contained"
      color="primary"
      onClick={() => setAsking(true)}
      disabled={!allowed || busy || !alias.trim() || !!problem || !version}
      startIcon={busy ? <CircularProgress size={16} /> : undefined}
    >
      Promote
    </Button>
  );

  return (
    <Box mt={2}>
      <ConfirmDialog
        request={
          asking
            ? {
                title: `Point ${alias.trim()} of ${
                  model.name
                } at version ${version}?`,
                text: `${
                  current
                    ? `${alias.trim()} now points at version ${current}.`
                    : `${model.name} has no ${alias.trim()} alias yet.`
                } Whatever loads ${
                  model.name
                }@${alias.trim()} from MLflow gets version ${version} from then on.`,
                confirm: 'Promote',
              }
            : undefined
        }
        onConfirm={promote}
        onClose={() => setAsking(false)}
      />
      <Box
        display="flex"
        // the alias field's rule, when shown, goes below it: the row stays aligned at the top
        alignItems="flex-start"
        flexWrap="wrap"
        style={{ gap: 8 }}
      >
        <Autocomplete
          freeSolo
          options={Object.keys(model.aliases).sort()}
          inputValue={alias}
          onInputChange={(_, value) => setAlias(value)}
          style={{ width: 200 }}
          renderInput={params => (
            <TextField
              {...params}
              label="Alias"
              variant="outlined"
              size="small"
              error={!!problem}
              helperText={problem}
            />
          )}
        />
        <TextField
          select
          label="Version"
          variant="outlined"
          size="small"
          value={version}
          onChange={e => setVersion(e.target.value)}
          style={{ minWidth: 120 }}
          // labelled by its label and its value: "Version 4" (axe: label-content-name-mismatch)
          id="llmops-alias-version"
        >
          {versions.map(v => (
            <MenuItem key={v.version} value={v.version}>
              {v.version}
            </MenuItem>
          ))}
        </TextField>
        {!checking && !allowed ? (
          <Tooltip
            title={
              alias.trim()
                ? `You are not allowed to move the ${alias.trim()} alias of ${
                    model.name
                  }`
                : `You are not allowed to change the aliases of ${model.name}`
            }
          >
            {/* a disabled button fires no events, so the span carries the tooltip */}
            <span>{button}</span>
          </Tooltip>
        ) : (
          button
        )}
      </Box>
      {queued && (
        <Box mt={1}>
          <Alert severity="info">
            MLflow is unreachable: {queued} waits in the retry queue and is
            applied when MLflow is back.
          </Alert>
        </Box>
      )}
      {error && (
        <Box mt={1}>
          <Alert severity="error">
            Could not set the alias: {error.message}
          </Alert>
        </Box>
      )}
    </Box>
  );
}

/**
 * The MLflow registered model of the current Model entity: its versions and
 * aliases, and a control to point an alias (such as `champion`) at a version.
 *
 * @public
 */
export function ModelRegistryCard() {
  const { entity } = useEntity();
  const api = useApi(llmOpsApiRef);
  const name = getMlflowModelName(entity);
  const modelRef = stringifyEntityRef(entity);
  const { value, loading, error, retry } = useAsyncRetry(
    async () => (name ? api.getRegisteredModel(name) : undefined),
    [api, name],
  );
  // which run produced a version and where it serves: read once, not on each promotion
  const context = useAsync(
    async () => (name ? readContext(api, name, modelRef) : undefined),
    [api, name, modelRef],
  );
  const related = useRelatedEntities(entity, { type: RELATION_SERVED_BY });
  const columns = useMemo(
    () =>
      versionColumns(
        new Map((related.entities ?? []).map(e => [e.metadata.name, e])),
      ),
    [related.entities],
  );

  // With MLflow down and nothing read before, the catalog's copy of the
  // registry (spec.registry, synced from MLflow) is shown, labelled as such.
  const fromCatalog =
    value?.stale && value.versions.length === 0
      ? catalogRegistry(entity, value)
      : undefined;
  const shown = fromCatalog ?? value;
  const source = isModelEntity(entity) ? entity.spec.source : undefined;
  const view: RegistryView | undefined = useMemo(
    () =>
      shown &&
      buildRegistryView({
        registry: shown,
        source,
        runs: context.value?.runs?.runs,
        deployments: context.value?.deployments?.items,
        mlflowUrl: context.value?.mlflowUrl,
      }),
    [shown, source, context.value],
  );
  // Only a fresh answer from MLflow tells that the catalog's copy lags behind
  const disagreement =
    value && !value.stale && isModelEntity(entity)
      ? describeCatalogDifferences(
          catalogDifferences(entity.spec.registry, value),
        )
      : undefined;

  let body;
  if (!name) {
    body = <MissingAnnotationEmptyState annotation={ANNOTATION_MLFLOW_MODEL} />;
  } else if (loading && !value) {
    // a refresh after a promotion keeps showing the previous data
    body = <Progress />;
  } else if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else if (!shown || !view || shown.versions.length === 0) {
    body = (
      <>
        <StaleBanner reads={[value]} />
        <EmptyState
          missing="data"
          title="No model versions"
          description={
            value?.stale
              ? `MLflow could not be read, and the catalog records no versions of ${name}.`
              : `The registered model ${name} has no versions in MLflow.`
          }
        />
      </>
    );
  } else {
    const notes = [
      disagreement,
      view.sourceProblem,
      ...view.unplaced.map(
        u => `${u.deployment.label} is not shown under a version: ${u.reason}.`,
      ),
      ...(context.value?.problems ?? []),
      context.error &&
        `Runs and deployments could not be read (${context.error.message}).`,
    ].filter((note): note is string => !!note);
    body = (
      <>
        <StaleBanner
          reads={[value]}
          fallback="the catalog's copy of the registry, as last synced from MLflow"
        />
        {notes.map(note => (
          // a note, not an alert: nothing went wrong with what the user did
          <Box key={note} mb={1}>
            <Alert severity="info" role="note">
              {note}
            </Alert>
          </Box>
        ))}
        <Typography variant="subtitle2" gutterBottom>
          Aliases
        </Typography>
        <Aliases aliases={shown.aliases} />
        <PromoteAlias model={shown} onPromoted={retry} />
        <Box mt={2}>
          <Table<VersionRow>
            title={fromCatalog ? 'Versions (from the catalog)' : 'Versions'}
            columns={columns}
            data={view.rows}
            isLoading={context.loading}
            options={{
              paging: view.rows.length > 10,
              pageSize: 10,
              search: false,
              sorting: false,
              padding: 'dense',
            }}
          />
        </Box>
      </>
    );
  }
  return (
    <InfoCard title="Model registry" subheader={name}>
      {body}
    </InfoCard>
  );
}
