import { useState } from 'react';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  MissingAnnotationEmptyState,
  useEntity,
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
import type { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_MLFLOW_MODEL,
  isModelEntity,
  modelAliasResourceRefOf,
  modelAliasUpdatePermission,
  RegisteredModel,
  RegisteredModelRead,
} from '@llmops/plugin-llm-ops-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { llmOpsApiRef } from '../../api/LlmOpsApi';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { StaleBanner } from '../common/StaleBanner';
import { formatPairs, formatTime } from './format';
import { getMlflowModelName } from './runs';

type ModelVersion = RegisteredModel['versions'][number];

const versionColumns: TableColumn<ModelVersion>[] = [
  { title: 'Version', field: 'version', highlight: true },
  { title: 'Status', render: v => v.status ?? '—' },
  {
    title: 'Run',
    // the full id is MLflow's; eight characters tell runs apart on a page
    render: v =>
      v.runId ? <code title={v.runId}>{v.runId.slice(0, 8)}</code> : '—',
  },
  { title: 'Created', render: v => formatTime(v.createdAt) },
  { title: 'Tags', render: v => formatPairs(v.tags) },
];

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

/** Newest version first, comparing numerically. */
function sortVersions(versions: ModelVersion[]): ModelVersion[] {
  return [...versions].sort((a, b) =>
    b.version.localeCompare(a.version, undefined, { numeric: true }),
  );
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
      disabled={!allowed || busy || !alias.trim() || !version}
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
        alignItems="center"
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
  const { value, loading, error, retry } = useAsyncRetry(
    async () => (name ? api.getRegisteredModel(name) : undefined),
    [api, name],
  );

  // With MLflow down and nothing read before, the catalog's copy of the
  // registry (spec.registry, synced from MLflow) is shown, labelled as such.
  const fromCatalog =
    value?.stale && value.versions.length === 0
      ? catalogRegistry(entity, value)
      : undefined;
  const shown = fromCatalog ?? value;

  let body;
  if (!name) {
    body = <MissingAnnotationEmptyState annotation={ANNOTATION_MLFLOW_MODEL} />;
  } else if (loading && !value) {
    // a refresh after a promotion keeps showing the previous data
    body = <Progress />;
  } else if (error) {
    body = <ResponseErrorPanel error={error} />;
  } else if (!shown || shown.versions.length === 0) {
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
    body = (
      <>
        <StaleBanner
          reads={[value]}
          fallback="the catalog's copy of the registry, as last synced from MLflow"
        />
        <Typography variant="subtitle2" gutterBottom>
          Aliases
        </Typography>
        <Aliases aliases={shown.aliases} />
        <PromoteAlias model={shown} onPromoted={retry} />
        <Box mt={2}>
          <Table<ModelVersion>
            title={fromCatalog ? 'Versions (from the catalog)' : 'Versions'}
            columns={versionColumns}
            data={sortVersions(shown.versions)}
            options={{
              paging: shown.versions.length > 10,
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
