/**
 * One reconciled view of a registered model's versions: which run produced
 * each version, which aliases point at it, where the portal serves it, and
 * where the catalog's copy of the registry disagrees with MLflow.
 */
import {
  Deployment,
  ModelEntity,
  parseMlflowModelSource,
  parseModelVersion,
  RegisteredModel,
  Run,
} from '@llmops/plugin-llm-ops-common';

/** A version of a registered model, as MLflow (or the catalog's copy) lists it. */
export type ModelVersion = RegisteredModel['versions'][number];

/** A version by number, or an alias (`3` or `@champion` parsed). */
type VersionRef = NonNullable<ReturnType<typeof parseModelVersion>>;

/** The catalog's copy of the registry (`spec.registry` of a Model entity). */
export type CatalogRegistry = NonNullable<ModelEntity['spec']['registry']>;

/** The run that produced a version. */
export interface RunCell {
  /** MLflow's full run id. */
  id: string;
  /** The run's name; the first 8 characters of its id when the run is not known. */
  label: string;
  /** True when the run is among the model's runs read from MLflow. */
  known: boolean;
  /** The run's page in MLflow's UI; only for a known run and a public MLflow URL. */
  url?: string;
}

/** A portal deployment and why it serves a version. */
export interface ServingCell {
  deploymentId: string;
  /** The deployment's name, which is its Deployment entity's name. */
  name: string;
  environment: string;
  status: string;
  /** `<environment>: <name>`. */
  label: string;
  /** Its pinned `model_version`, or (without one) the Model's `source`. */
  via: 'model_version' | 'source';
}

/** A row of the versions table. */
export interface VersionRow {
  /** The version, for the table's row key. */
  id: string;
  version: string;
  status?: string;
  createdAt?: number;
  tags?: Record<string, string>;
  /** The aliases pointing at this version, sorted. */
  aliases: string[];
  /** True when the Model entity's `spec.source` names this version. */
  catalogSource: boolean;
  run?: RunCell;
  /** Where it serves, production first. */
  serving: ServingCell[];
}

/** A deployment of the model that no listed version could be given to. */
export interface UnplacedDeployment {
  deployment: ServingCell;
  /** Why, in words. */
  reason: string;
}

/** The reconciled view. */
export interface RegistryView {
  /** Newest version first. */
  rows: VersionRow[];
  /** The version the Model's `source` names, when it names one of this model. */
  sourceVersion?: string;
  /** Why the catalog source matches no listed version, when it names one that is not. */
  sourceProblem?: string;
  unplaced: UnplacedDeployment[];
}

/** What the view is built from. */
export interface RegistryViewInput {
  /** The registered model: MLflow's answer or the catalog's copy. */
  registry: Pick<RegisteredModel, 'name' | 'aliases' | 'versions'>;
  /** The Model entity's `spec.source`. */
  source?: string;
  /** The model's runs, when they could be read. */
  runs?: Run[];
  /** The portal's deployments of the Model, when they could be read. */
  deployments?: Deployment[];
  /** MLflow's public URL (the tool UI's `publicUrl`), for run links. */
  mlflowUrl?: string;
}

/** Newest version first, comparing numerically. */
export function sortVersions<T extends { version: string }>(
  versions: T[],
): T[] {
  return [...versions].sort((a, b) =>
    b.version.localeCompare(a.version, undefined, { numeric: true }),
  );
}

/** A run's page in MLflow's UI (a hash route under its public URL). */
export function mlflowRunUrl(
  publicUrl: string,
  experimentId: string,
  runId: string,
): string {
  return `${publicUrl.replace(/\/+$/, '')}/#/experiments/${encodeURIComponent(
    experimentId,
  )}/runs/${encodeURIComponent(runId)}`;
}

const ENVIRONMENT_ORDER = ['prod', 'stg', 'dev'];

function byEnvironmentThenName(a: ServingCell, b: ServingCell): number {
  const rank = (env: string) => {
    const i = ENVIRONMENT_ORDER.indexOf(env);
    return i === -1 ? ENVIRONMENT_ORDER.length : i;
  };
  return (
    rank(a.environment) - rank(b.environment) || a.name.localeCompare(b.name)
  );
}

function servingCell(
  deployment: Deployment,
  via: ServingCell['via'],
): ServingCell {
  return {
    deploymentId: deployment.id,
    name: deployment.name,
    environment: deployment.environment,
    status: deployment.status,
    label: `${deployment.environment}: ${deployment.name}`,
    via,
  };
}

/** The version a ref names: itself, or what its alias points at. */
function resolveRef(
  ref: VersionRef,
  aliases: Record<string, string>,
): string | undefined {
  return 'version' in ref ? ref.version : aliases[ref.alias];
}

function describeRef(ref: VersionRef): string {
  return 'version' in ref ? `version ${ref.version}` : `@${ref.alias}`;
}

/** Which run produced each version and which version serves where. */
export function buildRegistryView(input: RegistryViewInput): RegistryView {
  const { registry, source, runs, deployments = [], mlflowUrl } = input;
  const listed = new Set(registry.versions.map(v => v.version));
  const runsById = new Map((runs ?? []).map(run => [run.id, run]));

  // The catalog source, when it is a version (or alias) of this registered model
  const parsedSource = source ? parseMlflowModelSource(source) : undefined;
  const sourceRef =
    parsedSource && parsedSource.name === registry.name
      ? parsedSource
      : undefined;
  const sourceVersion = sourceRef
    ? resolveRef(sourceRef, registry.aliases)
    : undefined;
  let sourceProblem: string | undefined;
  if (sourceRef && 'alias' in sourceRef && !sourceVersion) {
    sourceProblem = `The catalog source (${source}) names the alias ${sourceRef.alias}, which is not set on ${registry.name}.`;
  } else if (sourceVersion && !listed.has(sourceVersion)) {
    sourceProblem = `The catalog source (${source}) names version ${sourceVersion}, which is not among the versions of ${registry.name} shown here.`;
  }

  const servingByVersion = new Map<string, ServingCell[]>();
  const unplaced: UnplacedDeployment[] = [];
  for (const deployment of deployments) {
    const pinned: unknown = deployment.spec?.model_version;
    let version: string | undefined;
    let cell: ServingCell;
    let reason: string | undefined;
    if (typeof pinned === 'string' && pinned !== '') {
      cell = servingCell(deployment, 'model_version');
      const ref = parseModelVersion(pinned);
      version = ref ? resolveRef(ref, registry.aliases) : undefined;
      if (!ref) {
        reason = `its model_version "${pinned}" is neither a version number nor an @alias`;
      } else if (!version) {
        reason = `its model_version ${pinned} names an alias that is not set on ${registry.name}`;
      } else if (!listed.has(version)) {
        reason = `its model_version names ${describeRef(
          ref,
        )}, which is not among the versions shown here`;
      }
    } else {
      cell = servingCell(deployment, 'source');
      version = sourceVersion;
      if (!sourceRef) {
        reason = source
          ? `it serves the Model's source ${source}, which is not a version of ${registry.name}`
          : `it pins no model_version and the Model names no source`;
      } else if (!version || !listed.has(version)) {
        reason = `it serves the Model's source ${source}, which names no version shown here`;
      }
    }
    if (reason || !version) {
      unplaced.push({ deployment: cell, reason: reason ?? 'unknown version' });
    } else {
      servingByVersion.set(version, [
        ...(servingByVersion.get(version) ?? []),
        cell,
      ]);
    }
  }

  const aliasesByVersion = new Map<string, string[]>();
  for (const [alias, version] of Object.entries(registry.aliases)) {
    aliasesByVersion.set(version, [
      ...(aliasesByVersion.get(version) ?? []),
      alias,
    ]);
  }

  const rows = sortVersions(registry.versions).map((v): VersionRow => {
    const run = v.runId ? runsById.get(v.runId) : undefined;
    let runCell: RunCell | undefined;
    if (v.runId) {
      runCell = run
        ? {
            id: v.runId,
            label: run.name || v.runId.slice(0, 8),
            known: true,
            url: mlflowUrl
              ? mlflowRunUrl(mlflowUrl, run.experimentId, run.id)
              : undefined,
          }
        : { id: v.runId, label: v.runId.slice(0, 8), known: false };
    }
    return {
      id: v.version,
      version: v.version,
      status: v.status,
      createdAt: v.createdAt,
      tags: v.tags,
      aliases: (aliasesByVersion.get(v.version) ?? []).sort((a, b) =>
        a.localeCompare(b),
      ),
      catalogSource: v.version === sourceVersion,
      run: runCell,
      serving: (servingByVersion.get(v.version) ?? []).sort(
        byEnvironmentThenName,
      ),
    };
  });

  return {
    rows,
    sourceVersion,
    sourceProblem,
    unplaced: unplaced.sort((a, b) =>
      byEnvironmentThenName(a.deployment, b.deployment),
    ),
  };
}

/** One way the catalog's copy of the registry differs from MLflow. */
export interface CatalogDifference {
  /** What the catalog says, such as `champion → 3`. */
  catalog: string;
  /** What MLflow says, such as `champion → 4`. */
  mlflow: string;
}

function listVersions(versions: string[]): string {
  return versions.length === 1
    ? `version ${versions[0]}`
    : `versions ${versions.join(', ')}`;
}

/**
 * Where the catalog's copy (`spec.registry`) disagrees with MLflow: each
 * alias pointing elsewhere or set on one side only, the versions one side
 * lacks, and the versions whose status differs. A part the catalog does not
 * record (no `aliases`, no `versions`) is not compared.
 */
export function catalogDifferences(
  catalog: CatalogRegistry | undefined,
  mlflow: Pick<RegisteredModel, 'aliases' | 'versions'>,
): CatalogDifference[] {
  if (!catalog) return [];
  const differences: CatalogDifference[] = [];
  if (catalog.aliases) {
    const names = [
      ...new Set([
        ...Object.keys(catalog.aliases),
        ...Object.keys(mlflow.aliases),
      ]),
    ].sort((a, b) => a.localeCompare(b));
    const say = (alias: string, version: string | undefined) =>
      version ? `${alias} → ${version}` : `${alias} is not set`;
    for (const alias of names) {
      const ours = catalog.aliases[alias];
      const theirs = mlflow.aliases[alias];
      if (ours !== theirs) {
        differences.push({
          catalog: say(alias, ours),
          mlflow: say(alias, theirs),
        });
      }
    }
  }
  if (catalog.versions) {
    const ours = new Map(catalog.versions.map(v => [v.version, v]));
    const theirs = new Map(mlflow.versions.map(v => [v.version, v]));
    const oldestFirst = (versions: string[]) =>
      sortVersions(versions.map(version => ({ version })))
        .map(v => v.version)
        .reverse();
    const onlyMlflow = oldestFirst(
      [...theirs.keys()].filter(v => !ours.has(v)),
    );
    const onlyCatalog = oldestFirst(
      [...ours.keys()].filter(v => !theirs.has(v)),
    );
    if (onlyMlflow.length) {
      const one = onlyMlflow.length === 1;
      differences.push({
        catalog: `${listVersions(onlyMlflow)} ${one ? 'does' : 'do'} not exist`,
        mlflow: `${listVersions(onlyMlflow)} ${one ? 'exists' : 'exist'}`,
      });
    }
    if (onlyCatalog.length) {
      const one = onlyCatalog.length === 1;
      differences.push({
        catalog: `${listVersions(onlyCatalog)} ${one ? 'exists' : 'exist'}`,
        mlflow: `${listVersions(onlyCatalog)} ${one ? 'does' : 'do'} not exist`,
      });
    }
    for (const version of oldestFirst([...ours.keys()])) {
      const a = ours.get(version)?.status;
      const b = theirs.get(version)?.status;
      if (a && b && a !== b) {
        differences.push({
          catalog: `version ${version} is ${a}`,
          mlflow: `version ${version} is ${b}`,
        });
      }
    }
  }
  return differences;
}

/** `a`, `a and b`, `a, b and c`. */
function joinWords(parts: string[]): string {
  return parts.length <= 1
    ? parts.join('')
    : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** The differences as the note under the table, or undefined when there are none. */
export function describeCatalogDifferences(
  differences: CatalogDifference[],
): string | undefined {
  if (differences.length === 0) return undefined;
  return `The catalog (last synced from MLflow) says ${joinWords(
    differences.map(d => d.catalog),
  )}; MLflow says ${joinWords(
    differences.map(d => d.mlflow),
  )}. The catalog catches up on its next sync.`;
}
