import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { ResourcePermission } from '@backstage/plugin-permission-common';
import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { LLM_OPS_TRAINING_JOB_RESOURCE_TYPE } from '@llmops/plugin-llm-ops-common';
import { authorizeResource, type ApiContext } from './context';
import { ownedByClaims, ownerClaims } from './ownerRule';

/** What training job permission conditions can test. @public */
export interface TrainingJobResource {
  id: string;
  owner: string;
}

export const trainingJobResourceRef = createPermissionResourceRef<
  TrainingJobResource,
  { owners?: string[] }
>().with({
  pluginId: 'llm-ops',
  resourceType: LLM_OPS_TRAINING_JOB_RESOURCE_TYPE,
});

/** `IS_OWNER`: the job is owned by one of the claims. */
export const isTrainingJobOwner = createPermissionRule({
  name: 'IS_OWNER',
  description: 'Allow training jobs owned by one of the given entity refs',
  resourceRef: trainingJobResourceRef,
  paramsSchema: ownerClaims,
  apply: ownedByClaims,
  toQuery: ({ claims }) => ({ owners: claims }),
});

export const trainingJobRules = [isTrainingJobOwner];

const conditionExports = createConditionExports({
  resourceRef: trainingJobResourceRef,
  rules: { isOwner: isTrainingJobOwner },
});

/**
 * Conditions for permission policies, such as
 * `trainingJobConditions.isOwner({claims: user.info.ownershipEntityRefs})`.
 *
 * @public
 */
export const trainingJobConditions = conditionExports.conditions;

/** Makes a conditional decision for a training job permission. @public */
export const createTrainingJobConditionalDecision =
  conditionExports.createConditionalDecision;

/** Loads the jobs behind `training-job:<id>` references, for the permission backend. */
export async function loadTrainingJobResources(
  ctx: Pick<ApiContext, 'db'>,
  refs: string[],
): Promise<Array<TrainingJobResource | undefined>> {
  return Promise.all(
    refs.map(async ref => {
      const [type, id] = ref.split(/:(.*)/s, 2);
      if (type !== 'training-job' || !id) return undefined;
      const record = await ctx.db.trainingJobs.get(id);
      return record ? { id, owner: record.owner } : undefined;
    }),
  );
}

/** Throws 403 unless the caller may change state and the policy allows `permission` on this job. */
export function authorizeTrainingJob(
  ctx: ApiContext,
  permission: ResourcePermission<typeof LLM_OPS_TRAINING_JOB_RESOURCE_TYPE>,
  credentials: BackstageCredentials,
  job: TrainingJobResource,
) {
  return authorizeResource(
    ctx,
    permission,
    credentials,
    `training-job:${job.id}`,
    `on training job ${job.id}`,
  );
}
