import type { AuthService } from '@backstage/backend-plugin-api';
import {
  RevalidationSummary,
  validateDeploymentSpec,
  validateTrainJobSpec,
} from '@llmops/plugin-llm-ops-common';
import type { SubjectRecord } from '../database/records';
import type { ApiContext } from './context';
import { CatalogModelResolver } from './CatalogModelResolver';
import { tableOf } from './settlement';

const unique = (values: string[]) => [...new Set(values)].sort();

/**
 * Re-checks every stored job and deployment against today's rules and
 * catalog. One that fails is marked `non_compliant` with its rule codes;
 * one that was non-compliant and passes again goes back to its previous
 * status.
 */
/** The run in progress per backend: the scheduled task and the route share one. */
const running = new WeakMap<ApiContext, Promise<RevalidationSummary>>();

/**
 * Re-checks every stored job and deployment, single-flight: a call while a
 * run is under way (the scheduled task's, or another caller's) gets that
 * run's summary rather than starting a second pass over every record.
 */
export function revalidateAll(
  ctx: ApiContext,
  auth: AuthService,
): Promise<RevalidationSummary> {
  let run = running.get(ctx);
  if (!run) {
    run = revalidateEvery(ctx, auth).finally(() => running.delete(ctx));
    running.set(ctx, run);
  }
  return run;
}

async function revalidateEvery(
  ctx: ApiContext,
  auth: AuthService,
): Promise<RevalidationSummary> {
  const credentials = await auth.getOwnServiceCredentials();
  const resolver = new CatalogModelResolver(ctx.catalog, credentials);
  const options = {
    resolver,
    modelFamilies: ctx.specs.modelFamilies,
    gpuTypes: ctx.specs.gpuTypes,
    limits: ctx.specs.specLimits,
  };
  const summary = { checked: 0, nonCompliant: 0, restored: 0 };

  const check = async (
    record: SubjectRecord,
    valid: boolean,
    rules: string[],
  ) => {
    summary.checked += 1;
    if (!valid) {
      summary.nonCompliant += 1;
      if (
        record.status !== 'non_compliant' ||
        String(record.nonCompliantRules) !== String(rules)
      ) {
        await tableOf(ctx, record).update(record.id, {
          status: 'non_compliant',
          reason: `fails ${rules.join(', ')}`,
          nonCompliantRules: rules,
        });
      }
    } else if (record.status === 'non_compliant') {
      summary.restored += 1;
      const history = await ctx.db.history.list(record.id);
      const previous =
        [...history].reverse().find(h => h.status !== 'non_compliant')
          ?.status ?? 'queued';
      await tableOf(ctx, record).update(record.id, {
        status: previous,
        reason: 'passes the rules again',
        nonCompliantRules: null,
      });
    }
  };

  for (const job of await ctx.db.trainingJobs.listAll()) {
    const result = await validateTrainJobSpec(job.spec, options);
    await check(
      job,
      result.valid,
      result.valid ? [] : unique(result.errors.map(e => e.rule)),
    );
  }
  for (const deployment of await ctx.db.deployments.listAll()) {
    const result = await validateDeploymentSpec(deployment.spec, options);
    await check(
      deployment,
      result.valid,
      result.valid ? [] : unique(result.errors.map(e => e.rule)),
    );
  }
  return summary;
}
