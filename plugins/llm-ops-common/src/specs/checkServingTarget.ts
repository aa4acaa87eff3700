import {
  PLATFORM_DEFAULTS,
  PlatformSettings,
  settingsForEnvironment,
} from './platformSettings';
import type {
  DeploymentSpec,
  ServingTarget,
  SpecValidationError,
} from './types';

/**
 * The serving target a deployment to `tool` has under the platform
 * settings: KServe's deployment mode of the environment (RawDeployment by
 * default, since Serverless needs Knative), or whether KubeRay's
 * incremental upgrade is configured.
 *
 * @public
 */
export function servingTargetOf(
  tool: ServingTarget['tool'],
  settings: PlatformSettings = {},
): ServingTarget {
  const { serving } = settingsForEnvironment(settings);
  return tool === 'kserve'
    ? {
        tool,
        deploymentMode:
          serving.deploymentMode ?? PLATFORM_DEFAULTS.deploymentMode,
      }
    : {
        tool,
        incrementalUpgrade:
          serving.rayService?.incrementalUpgrade !== undefined,
      };
}

const SWITCH_TO_ROLLING =
  'use rollout.strategy rolling (a zero-downtime replacement) with traffic_split old 0 / new 100';

/**
 * The rollout rules of a serving target: a rollout is accepted only where
 * the backend enforces it.
 *
 * - KServe RawDeployment: canary and blue-green are refused
 *   (`rollout.split_unsupported_in_raw_deployment`). KServe v0.15 reads
 *   `canaryTrafficPercent`, `containerConcurrency` and tag routing only in
 *   its Knative reconciler (`reconcilers/knative/ksvc_reconciler.go`); the
 *   raw reconcilers run one Deployment, so a 90/10 canary would silently
 *   serve 0/100 (kserve/kserve#5335). Raw offers the Deployment's
 *   `deploymentStrategy`: rolling (RollingUpdate) and recreate.
 * - KServe Serverless: recreate is refused (`rollout.recreate_unsupported`):
 *   Knative keeps the previous revision serving until the new one is ready.
 * - KubeRay: canary and blue-green are refused
 *   (`rollout.split_unsupported_by_rayservice`): a RayService has no
 *   traffic split. `NewCluster` moves all traffic once the new cluster is
 *   ready; `NewClusterWithIncrementalUpgrade` moves it in steps to 100%
 *   and holds no split. Recreate is refused: KubeRay's only other upgrade
 *   type, `None`, never replaces the cluster.
 *
 * @public
 */
export function checkServingTarget(
  strategy: DeploymentSpec['rollout']['strategy'],
  target: ServingTarget,
): SpecValidationError[] {
  const split = strategy === 'canary' || strategy === 'blue-green';
  if (target.tool === 'kserve') {
    if (target.deploymentMode === 'RawDeployment' && split) {
      return [
        {
          path: 'rollout.strategy',
          rule: 'rollout.split_unsupported_in_raw_deployment',
          message: `rollout.strategy ${strategy} splits traffic between two revisions, which KServe enforces only in Serverless (Knative) mode; this environment deploys in RawDeployment mode, where KServe ignores canaryTrafficPercent and tag routing and would send all traffic to the new model (kserve/kserve#5335). ${capitalize(
            SWITCH_TO_ROLLING,
          )}, or recreate; or deploy where llmOps.environments.<env>.serving.deploymentMode is Serverless`,
        },
      ];
    }
    if (target.deploymentMode === 'Serverless' && strategy === 'recreate') {
      return [
        {
          path: 'rollout.strategy',
          rule: 'rollout.recreate_unsupported',
          message: `rollout.strategy recreate is not possible in KServe's Serverless mode, where Knative keeps the previous revision serving until the new one is ready; ${SWITCH_TO_ROLLING}`,
        },
      ];
    }
    return [];
  }
  if (split) {
    return [
      {
        path: 'rollout.strategy',
        rule: 'rollout.split_unsupported_by_rayservice',
        message: `rollout.strategy ${strategy} splits traffic between two revisions, which a KubeRay RayService cannot: ${
          target.incrementalUpgrade
            ? 'its incremental upgrade (NewClusterWithIncrementalUpgrade) moves traffic to the new cluster in steps until it has all of it, and holds no split'
            : 'an upgrade creates a new RayCluster and moves all traffic to it once it is ready (NewCluster)'
        }; ${SWITCH_TO_ROLLING}, or serve with KServe in Serverless mode`,
      },
    ];
  }
  if (strategy === 'recreate') {
    return [
      {
        path: 'rollout.strategy',
        rule: 'rollout.recreate_unsupported',
        message: `rollout.strategy recreate is not possible with a KubeRay RayService, whose upgrade types are NewCluster (a zero-downtime replacement) and None (the RayCluster is never replaced, so a new rayClusterConfig is not applied); ${SWITCH_TO_ROLLING}`,
      },
    ];
  }
  return [];
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
