import type { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/** Where an environment's deployments may go: one cluster, some namespaces. */
export interface EnvironmentPlacement {
  cluster: string;
  namespaces: string[];
}

/** The serving tool a deployment goes through: its cluster and default namespace. */
export interface ServingPlace {
  tool: string;
  cluster?: string;
  namespace: string;
}

/**
 * `llmOps.environments.<env>`: each environment's cluster and namespaces.
 * Two environments never share a namespace of one cluster, or a user
 * allowed one could write into the other. Undefined when not configured.
 */
export function readEnvironments(
  config: Config,
): Map<string, EnvironmentPlacement> | undefined {
  const block = config.getOptionalConfig('llmOps.environments');
  if (!block) return undefined;
  const environments = new Map<string, EnvironmentPlacement>();
  const taken = new Map<string, string>();
  for (const env of block.keys()) {
    const c = block.getConfig(env);
    const placement = {
      cluster: c.getString('cluster'),
      namespaces: c.getStringArray('namespaces'),
    };
    if (placement.namespaces.length === 0) {
      throw new InputError(
        `llmOps.environments.${env}.namespaces must list at least one namespace`,
      );
    }
    for (const namespace of placement.namespaces) {
      const key = `${placement.cluster}/${namespace}`;
      const other = taken.get(key);
      if (other) {
        throw new InputError(
          `llmOps.environments.${env} and llmOps.environments.${other} share namespace ${namespace} of cluster ${placement.cluster}; an environment is a boundary`,
        );
      }
      taken.set(key, env);
    }
    environments.set(env, placement);
  }
  return environments;
}

/**
 * Where a new deployment of an environment goes: the environment's cluster
 * (which must be the serving tool's) and the namespace asked for, which
 * must be one of the environment's (default: its first). Without
 * `llmOps.environments`, only the serving tool's own namespace is allowed.
 * Anything else is a 400 naming the field.
 */
export function placeDeployment(
  environments: Map<string, EnvironmentPlacement> | undefined,
  environment: string,
  serving: ServingPlace,
  namespace?: string,
): { cluster: string; namespace: string } {
  if (!environments) {
    if (namespace !== undefined && namespace !== serving.namespace) {
      throw new InputError(
        `namespace: '${namespace}' is not allowed; without llmOps.environments, ${serving.tool} deploys to its namespace ${serving.namespace} only`,
      );
    }
    return {
      cluster: serving.cluster ?? 'default',
      namespace: serving.namespace,
    };
  }
  const placement = environments.get(environment);
  if (!placement) {
    throw new InputError(
      `environment: '${environment}' is not configured (llmOps.environments lists ${[
        ...environments.keys(),
      ].join(', ')})`,
    );
  }
  if (serving.cluster !== placement.cluster) {
    throw new InputError(
      `environment: ${environment} runs on cluster ${placement.cluster}, but ${
        serving.tool
      } is configured for ${
        serving.cluster ?? 'no cluster'
      } (llmOps.integrations.${serving.tool}.cluster)`,
    );
  }
  const target = namespace ?? placement.namespaces[0];
  if (!placement.namespaces.includes(target)) {
    throw new InputError(
      `namespace: '${target}' is not one of environment ${environment}'s namespaces (${placement.namespaces.join(
        ', ',
      )})`,
    );
  }
  return { cluster: placement.cluster, namespace: target };
}
