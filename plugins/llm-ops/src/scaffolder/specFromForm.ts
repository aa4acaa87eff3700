import { Entity, parseEntityRef } from '@backstage/catalog-model';
import { DATASET_TYPE_FOR_JOB, JobType } from '@llmops/plugin-llm-ops-common';

/** The spec kinds the form fields validate. @public */
export type SpecKind = 'TrainJobSpec' | 'DeploymentSpec';

/** The catalog entities a spec is assembled from, by entity ref. */
export type EntityLookup = (ref: string) => Entity | undefined;

type Values = Record<string, unknown>;

const num = (value: unknown) => (typeof value === 'number' ? value : undefined);

/** The entity refs a spec of this kind needs from the catalog. */
export function entityRefsOf(kind: SpecKind, values: Values): string[] {
  const ref = kind === 'TrainJobSpec' ? values.dataset : values.model_ref;
  return typeof ref === 'string' && ref ? [ref] : [];
}

/**
 * The spec that the template's steps build from the same form values (see
 * `templates/train-model` and `templates/deploy-model`). Absent values stay
 * absent, so the validator reports them as missing.
 */
export function specFromForm(
  kind: SpecKind,
  values: Values,
  lookup: EntityLookup,
): Record<string, unknown> {
  const spec =
    kind === 'TrainJobSpec'
      ? trainJobSpec(values, lookup)
      : deploymentSpec(values, lookup);
  // Drops undefined values, as the template's rendering does.
  return JSON.parse(JSON.stringify(spec));
}

function trainJobSpec(v: Values, lookup: EntityLookup) {
  const datasetRef = typeof v.dataset === 'string' ? v.dataset : undefined;
  const dataset = datasetRef ? lookup(datasetRef) : undefined;
  let datasetName: string | undefined;
  try {
    datasetName = datasetRef ? parseEntityRef(datasetRef).name : undefined;
  } catch {
    datasetName = datasetRef;
  }
  return {
    kind: 'TrainJobSpec',
    job_type: v.job_type,
    model_family: v.model_family,
    base_model_ref: v.job_type === 'PRETRAIN' ? null : v.base_model_ref,
    dataset_ref: datasetRef
      ? {
          name: datasetName,
          version: v.dataset_version,
          type: dataset?.spec?.type,
          storage_uri: dataset?.spec?.storageUri,
        }
      : undefined,
    hyperparams: {
      lr: num(v.lr),
      batch_size: num(v.batch_size),
      num_epochs: num(v.num_epochs),
      max_seq_len: num(v.max_seq_len),
      precision: v.precision,
    },
    method: v.method,
    resources: {
      gpus: num(v.gpus),
      gpu_type: v.gpu_type || undefined,
      nodes: num(v.nodes),
    },
    output: { artifact_name: v.artifact_name, save_format: v.save_format },
  };
}

function deploymentSpec(v: Values, lookup: EntityLookup) {
  const modelRef = typeof v.model_ref === 'string' ? v.model_ref : undefined;
  const model = modelRef ? lookup(modelRef) : undefined;
  const trafficNew = num(v.traffic_new);
  return {
    kind: 'DeploymentSpec',
    model_ref: modelRef,
    model_family: model?.spec?.family,
    job_type: model?.spec?.jobType,
    model_version:
      typeof v.model_version === 'string' && v.model_version
        ? v.model_version
        : undefined,
    resources: { gpus: num(v.gpus), gpu_memory_gb: num(v.gpu_memory_gb) },
    runtime: {
      max_concurrent_requests: num(v.max_concurrent_requests),
      max_input_tokens: num(v.max_input_tokens),
      max_output_tokens: num(v.max_output_tokens),
    },
    rollout: {
      strategy: v.strategy,
      traffic_split:
        trafficNew === undefined
          ? undefined
          : { old: 100 - trafficNew, new: trafficNew },
    },
  };
}

/**
 * The form field that shows an error of the given spec path: mostly the
 * path's last segment (`hyperparams.max_seq_len` is `max_seq_len`), with the
 * fields that stand for several spec fields mapped by hand.
 */
export function fieldOfPath(kind: SpecKind, path: string): string {
  const segments = path.split('.');
  if (kind === 'TrainJobSpec') {
    if (path === 'dataset_ref.version') return 'dataset_version';
    if (segments[0] === 'dataset_ref') return 'dataset';
  } else {
    if (['model_family', 'job_type', 'serve_target'].includes(path)) {
      return 'model_ref';
    }
    if (path.startsWith('rollout.traffic_split')) return 'traffic_new';
  }
  return segments[segments.length - 1];
}

/**
 * Resolves `${{ parameters.<name> }}` in a catalog filter from the form
 * values; `${{ parameters.<name> | datasetType }}` gives the dataset type
 * that fits a job type. A filter value that resolves to nothing matches
 * nothing, until the field it names is filled in.
 */
export function resolveCatalogFilter(filter: unknown, values: Values): unknown {
  if (Array.isArray(filter)) {
    return filter.map(f => resolveCatalogFilter(f, values));
  }
  if (typeof filter === 'object' && filter !== null) {
    return Object.fromEntries(
      Object.entries(filter).map(([key, value]) => [
        key,
        resolveCatalogFilter(value, values),
      ]),
    );
  }
  if (typeof filter !== 'string') return filter;
  return filter.replace(
    /\$\{\{\s*parameters\.(\w+)\s*(?:\|\s*(\w+)\s*)?\}\}/g,
    (_match, name: string, transform?: string) => {
      const value = values[name];
      const text = typeof value === 'string' ? value : '';
      if (transform === 'datasetType') {
        return DATASET_TYPE_FOR_JOB[text as JobType] ?? '-';
      }
      return text || '-';
    },
  );
}
