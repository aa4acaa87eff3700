import {
  LoggerService,
  SchedulerService,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { readSpecsConfig } from '@llmops/plugin-llm-ops-common';
import {
  HF_SEARCH_LIMITS,
  LlmOpsToolsService,
  clusterHttpClient,
  toolThroughService,
} from '@llmops/plugin-llm-ops-node';
import {
  DvcDatasetEntityProvider,
  DvcDatasetRule,
} from './DvcDatasetEntityProvider';
import {
  HuggingFaceModelEntityProvider,
  HuggingFaceModelEntityProviderOptions,
  HuggingFaceRepoConfig,
} from './HuggingFaceModelEntityProvider';
import {
  KubernetesServingLister,
  ServingBackendId,
} from './KubernetesServingLister';
import type { LlmOpsEntityProvider } from './LlmOpsEntityProvider';
import { MlflowModelEntityProvider } from './MlflowModelEntityProvider';
import { ServingDeploymentEntityProvider } from './ServingDeploymentEntityProvider';

const KEY = 'catalog.providers';

/**
 * Creates the providers configured under `catalog.providers.llmOps*`, each
 * scheduled from its own `schedule`. They reach their tools through the
 * backend's one set of adapters (`llm-ops.tools`), behind its circuit
 * breakers, so an adapter added through the `llm-ops.adapters` extension
 * point serves the catalog too. A provider whose tool is not configured
 * under `llmOps.integrations` is left out, with a warning.
 *
 * @internal
 */
export function createProvidersFromConfig(options: {
  config: Config;
  logger: LoggerService;
  scheduler: SchedulerService;
  tools: LlmOpsToolsService;
}): LlmOpsEntityProvider[] {
  const { config, logger, scheduler, tools } = options;
  const providers: LlmOpsEntityProvider[] = [];
  const block = (name: string) => config.getOptionalConfig(`${KEY}.${name}`);
  const taskRunner = (c: Config) =>
    scheduler.createScheduledTaskRunner(
      readSchedulerServiceTaskScheduleDefinitionFromConfig(
        c.getConfig('schedule'),
      ),
    );
  const configured = [
    'llmOpsMlflow',
    'llmOpsHuggingFace',
    'llmOpsDvc',
    'llmOpsServing',
  ].filter(name => block(name));
  if (configured.length === 0) return providers;

  /** Whether the provider's tool is usable, as config says; a warning if not. */
  const usable = (tool: string, provider: string) => {
    const status = tools.tools.targets.find(t => t.tool === tool);
    if (status?.enabled && status.adapter) return true;
    logger.warn(
      `${KEY}.${provider} is configured, but llmOps.integrations.${tool} is not usable (${
        status?.enabled === false ? 'disabled' : status?.reason
      }); the provider is not started`,
    );
    return false;
  };
  const modelFamilies = readSpecsConfig(config).modelFamilies;

  const mlflow = block('llmOpsMlflow');
  if (mlflow) {
    if (usable('mlflow', 'llmOpsMlflow')) {
      providers.push(
        new MlflowModelEntityProvider({
          logger,
          taskRunner: taskRunner(mlflow),
          tracker: toolThroughService(tools, 'experiment-tracking', 'mlflow'),
          baseUrl: config.getString('llmOps.integrations.mlflow.baseUrl'),
          modelFamilies,
          defaultOwner: mlflow.getOptionalString('defaultOwner'),
          currentAlias: mlflow.getOptionalString('currentAlias'),
          pageSize: mlflow.getOptionalNumber('pageSize'),
        }),
      );
    }
  }

  const hf = block('llmOpsHuggingFace');
  if (hf) {
    if (usable('huggingface', 'llmOpsHuggingFace')) {
      const repos = readHuggingFaceRepos(hf.getOptional('repos'));
      const search = readHuggingFaceSearch(hf.getOptional('search'));
      if (repos.length === 0 && search.length === 0) {
        logger.warn(
          `${KEY}.llmOpsHuggingFace lists neither repos nor a search; the provider emits nothing`,
        );
      }
      providers.push(
        new HuggingFaceModelEntityProvider({
          logger,
          taskRunner: taskRunner(hf),
          hub: toolThroughService(tools, 'model-hub', 'huggingface'),
          endpoint:
            config.getOptionalString(
              'llmOps.integrations.huggingface.endpoint',
            ) ?? 'https://huggingface.co',
          repos,
          search,
          modelFamilies,
          defaultOwner: hf.getString('defaultOwner'),
          defaultLifecycle: hf.getOptionalString('defaultLifecycle'),
          familyMapping: hf.getOptional('familyMapping') as
            | Record<string, string>
            | undefined,
        }),
      );
    }
  }

  const dvc = block('llmOpsDvc');
  if (dvc) {
    if (usable('dvc', 'llmOpsDvc')) {
      providers.push(
        new DvcDatasetEntityProvider({
          logger,
          taskRunner: taskRunner(dvc),
          dvc: toolThroughService(tools, 'data-versioning', 'dvc'),
          repos: config
            .getConfigArray('llmOps.integrations.dvc.repos')
            .map(r => ({ name: r.getString('name'), url: r.getString('url') })),
          rules: dvc.getConfigArray('datasets').map(r => ({
            match: r.getString('match'),
            type: r.getString('type') as DvcDatasetRule['type'],
            owner: r.getOptionalString('owner'),
            lifecycle: r.getOptionalString('lifecycle'),
          })),
          defaultOwner: dvc.getOptionalString('defaultOwner'),
          defaultLifecycle: dvc.getOptionalString('defaultLifecycle'),
        }),
      );
    }
  }

  const serving = block('llmOpsServing');
  if (serving) {
    const overrides = serving.getOptionalConfigArray('clusters') ?? [];
    const clusters = (
      config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? []
    )
      .filter(m => m.getString('type') === 'config')
      .flatMap(m => m.getOptionalConfigArray('clusters') ?? []);
    if (clusters.length === 0) {
      logger.warn(
        `${KEY}.llmOpsServing is configured, but kubernetes.clusterLocatorMethods lists no clusters`,
      );
    }
    for (const cluster of clusters) {
      const name = cluster.getString('name');
      const override = overrides.find(o => o.getString('name') === name);
      if (override?.getOptionalBoolean('enabled') === false) continue;
      const http = clusterHttpClient('kubernetes', cluster);
      providers.push(
        new ServingDeploymentEntityProvider({
          logger,
          taskRunner: taskRunner(serving),
          cluster: name,
          clusterUrl: cluster.getString('url'),
          lister: new KubernetesServingLister(
            http,
            override?.getOptionalStringArray('namespaces'),
          ),
          backends: serving.getOptionalStringArray('backends') as
            | ServingBackendId[]
            | undefined,
          environment: override?.getOptionalString('environment') as
            | 'dev'
            | 'stg'
            | 'prod'
            | undefined,
          defaultOwner: serving.getOptionalString('defaultOwner'),
        }),
      );
    }
  }
  return providers;
}

/** `repos`: each `org/name`, or `{repo, name?, title?, revision?, owner?, lifecycle?}`. */
function readHuggingFaceRepos(value: unknown): HuggingFaceRepoConfig[] {
  const key = `${KEY}.llmOpsHuggingFace.repos`;
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`${key} must be a list`);
  return value.map((entry, i) => {
    if (typeof entry === 'string') return { repo: entry };
    const fields = ['repo', 'name', 'title', 'revision', 'owner', 'lifecycle'];
    if (
      typeof entry !== 'object' ||
      entry === null ||
      typeof entry.repo !== 'string' ||
      Object.entries(entry).some(
        ([k, v]) => !fields.includes(k) || typeof v !== 'string',
      )
    ) {
      throw new Error(
        `${key}[${i}] must be 'org/name' or an object of strings with repo and optionally ${fields
          .slice(1)
          .join(', ')}`,
      );
    }
    return entry as HuggingFaceRepoConfig;
  });
}

type HuggingFaceSearchConfig = NonNullable<
  HuggingFaceModelEntityProviderOptions['search']
>[number];

/**
 * `search`: one query or a list of them, each
 * `{author?, search?, filter?, limit?, owner?, lifecycle?}`.
 */
function readHuggingFaceSearch(value: unknown): HuggingFaceSearchConfig[] {
  const key = `${KEY}.llmOpsHuggingFace.search`;
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  const strings = ['author', 'search', 'owner', 'lifecycle'];
  return list.map((entry, i) => {
    const at = Array.isArray(value) ? `${key}[${i}]` : key;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new Error(
        `${at} must be an object with author, search, filter, limit, owner or lifecycle`,
      );
    }
    for (const [k, v] of Object.entries(entry)) {
      if (strings.includes(k)) {
        if (typeof v !== 'string')
          throw new Error(`${at}.${k} must be a string`);
      } else if (k === 'filter') {
        const tags = Array.isArray(v) ? v : [v];
        if (tags.some(t => typeof t !== 'string')) {
          throw new Error(`${at}.filter must be a tag or a list of tags`);
        }
      } else if (k === 'limit') {
        if (
          typeof v !== 'number' ||
          !Number.isInteger(v) ||
          v < 1 ||
          v > HF_SEARCH_LIMITS.max
        ) {
          throw new Error(
            `${at}.limit must be an integer from 1 to ${HF_SEARCH_LIMITS.max}`,
          );
        }
      } else {
        throw new Error(
          `${at} has an unknown key '${k}' (known: author, search, filter, limit, owner, lifecycle)`,
        );
      }
    }
    return entry as HuggingFaceSearchConfig;
  });
}
