import { readFileSync } from 'node:fs';
import type { Config } from '@backstage/config';
import { LLM_OPS_TOOLS, ToolId } from '@llmops/plugin-llm-ops-common';
import type { LlmOpsAdapter } from '../types';
import { ArgoAdapter } from './ArgoAdapter';
import { DvcAdapter } from './DvcAdapter';
import { HuggingFaceAdapter } from './HuggingFaceAdapter';
import { KubernetesServingAdapter } from './KubernetesServingAdapter';
import { MlflowAdapter } from './MlflowAdapter';
import { ToolAuth, ToolHttpClient } from './ToolHttpClient';

/** Whether a tool is switched on and configured, and why not. @public */
export interface IntegrationConfigStatus {
  tool: ToolId;
  enabled: boolean;
  configured: boolean;
  /** Why the tool is not configured. */
  reason?: string;
  /** Why it is switched off, when config says (`disabledReason`). */
  disabledReason?: string;
  adapter?: LlmOpsAdapter;
}

const DEFAULT_HF_ENDPOINT = 'https://huggingface.co';

function readAuth(config: Config): ToolAuth {
  const token = config.getOptionalString('token');
  if (token) return { type: 'bearer', token };
  const username = config.getOptionalString('username');
  if (username) {
    return {
      type: 'basic',
      username,
      password: config.getOptionalString('password') ?? '',
    };
  }
  return { type: 'none' };
}

function httpClient(tool: ToolId, config: Config, baseUrl: string) {
  return new ToolHttpClient({
    tool,
    baseUrl,
    auth: readAuth(config),
    timeoutMs: config.getOptionalNumber('timeoutMs'),
    retries: config.getOptionalNumber('retries'),
  });
}

/**
 * Finds a cluster by name in the Kubernetes plugin's own cluster list
 * (`kubernetes.clusterLocatorMethods`, type `config`), so that one list of
 * clusters serves both the Kubernetes tab and the serving adapters.
 */
function findCluster(root: Config, name: string): Config | undefined {
  const methods = root.getOptionalConfigArray(
    'kubernetes.clusterLocatorMethods',
  );
  for (const method of methods ?? []) {
    if (method.getString('type') !== 'config') continue;
    for (const cluster of method.getOptionalConfigArray('clusters') ?? []) {
      if (cluster.getString('name') === name) return cluster;
    }
  }
  return undefined;
}

/** A client for the cluster named by `llmOps.integrations.<tool>.cluster`. */
function clusterClient(
  tool: ToolId,
  config: Config,
  root: Config,
): ToolHttpClient | string {
  const name = config.getOptionalString('cluster');
  if (!name) return `llmOps.integrations.${tool}.cluster is not set`;
  const cluster = findCluster(root, name);
  if (!cluster) {
    return `cluster '${name}' is not in kubernetes.clusterLocatorMethods`;
  }
  return clusterHttpClient(tool, cluster, {
    timeoutMs: config.getOptionalNumber('timeoutMs'),
    retries: config.getOptionalNumber('retries'),
  });
}

/**
 * A client of one cluster of `kubernetes.clusterLocatorMethods`, as the
 * Kubernetes plugin reads it: `url`, `serviceAccountToken`, and the CA of
 * its API server as `caData` (base64 PEM) or `caFile`, or `skipTLSVerify`.
 *
 * @public
 */
export function clusterHttpClient(
  tool: string,
  cluster: Config,
  options: { timeoutMs?: number; retries?: number } = {},
): ToolHttpClient {
  const token = cluster.getOptionalString('serviceAccountToken');
  const caData = cluster.getOptionalString('caData');
  const caFile = cluster.getOptionalString('caFile');
  const ca = caData
    ? Buffer.from(caData, 'base64').toString('utf8')
    : caFile && readFileSync(caFile, 'utf8');
  return new ToolHttpClient({
    tool,
    baseUrl: cluster.getString('url'),
    auth: token ? { type: 'bearer', token } : { type: 'none' },
    tls: {
      ca: ca || undefined,
      skipVerify: cluster.getOptionalBoolean('skipTLSVerify'),
    },
    ...options,
  });
}

function createAdapter(
  tool: ToolId,
  config: Config,
  root: Config,
): LlmOpsAdapter | string {
  switch (tool) {
    case 'mlflow': {
      const baseUrl = config.getOptionalString('baseUrl');
      if (!baseUrl) return 'llmOps.integrations.mlflow.baseUrl is not set';
      return new MlflowAdapter(httpClient(tool, config, baseUrl));
    }
    case 'argo': {
      const namespace = config.getOptionalString('namespace') ?? 'default';
      const mode = config.getOptionalString('mode') ?? 'server';
      if (mode === 'kubernetes') {
        const http = clusterClient(tool, config, root);
        if (typeof http === 'string') return http;
        return new ArgoAdapter(http, namespace, 'kubernetes');
      }
      if (mode !== 'server') {
        return `llmOps.integrations.argo.mode must be 'server' or 'kubernetes'`;
      }
      const baseUrl = config.getOptionalString('baseUrl');
      if (!baseUrl) return 'llmOps.integrations.argo.baseUrl is not set';
      return new ArgoAdapter(httpClient(tool, config, baseUrl), namespace);
    }
    case 'kserve':
    case 'rayserve': {
      const http = clusterClient(tool, config, root);
      if (typeof http === 'string') return http;
      const namespace = config.getOptionalString('namespace') ?? 'default';
      return new KubernetesServingAdapter(
        tool,
        http,
        namespace,
        config.getOptionalString('cluster'),
      );
    }
    case 'huggingface': {
      const endpoint =
        config.getOptionalString('endpoint') ?? DEFAULT_HF_ENDPOINT;
      return new HuggingFaceAdapter(httpClient(tool, config, endpoint));
    }
    case 'dvc': {
      const repos = (config.getOptionalConfigArray('repos') ?? []).map(r => ({
        name: r.getString('name'),
        url: r.getString('url'),
      }));
      if (repos.length === 0) return 'llmOps.integrations.dvc.repos is empty';
      return new DvcAdapter(repos);
    }
    default:
      return `unknown tool ${tool satisfies never}`;
  }
}

/**
 * Reads `llmOps.integrations.<tool>` for every built-in tool and creates the
 * adapters of the enabled, configured ones. A tool with no block at all is
 * reported as not configured.
 *
 * @public
 */
export function createConfiguredAdapters(
  root: Config,
): IntegrationConfigStatus[] {
  return LLM_OPS_TOOLS.map(tool => {
    const config = root.getOptionalConfig(`llmOps.integrations.${tool}`);
    if (!config) {
      return {
        tool,
        enabled: true,
        configured: false,
        reason: `llmOps.integrations.${tool} is not configured`,
      };
    }
    const enabled = config.getOptionalBoolean('enabled') ?? true;
    const disabledReason = config.getOptionalString('disabledReason');
    if (!enabled && disabledReason) {
      return { tool, enabled, configured: false, disabledReason };
    }
    const adapter = createAdapter(tool, config, root);
    if (typeof adapter === 'string') {
      return { tool, enabled, configured: false, reason: adapter };
    }
    return { tool, enabled, configured: true, adapter };
  });
}
