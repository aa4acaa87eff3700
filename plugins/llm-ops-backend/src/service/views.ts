import type {
  Deployment,
  DeploymentDetail,
  ToolObject,
  TrainingJob,
  TrainingJobDetail,
} from '@llmops/plugin-llm-ops-common';
import type { ToolObjectRef } from '@llmops/plugin-llm-ops-node';
import type { OutboxItem } from '../queue/operations';
import type {
  DeploymentRecord,
  SubjectRecord,
  TrainingJobRecord,
} from '../database/records';
import type { ApiContext } from './context';

/** A delivered object as the API names it: which tool, and where to see it. */
function toolObject(
  tool: string | undefined,
  ref: ToolObjectRef | undefined,
): ToolObject | undefined {
  if (!ref || !tool) return undefined;
  return {
    tool,
    id: ref.id,
    namespace: ref.namespace,
    url: ref.url,
    uiPath: ref.uiPath,
  };
}

/** The tool that delivered an operation of a record, from its queue items. */
function toolOf(items: OutboxItem[] | undefined, operation: string) {
  return items?.find(i => i.operation === operation)?.tool;
}

const common = (record: SubjectRecord) => ({
  id: record.id,
  owner: record.owner,
  status: record.status,
  nonCompliantRules: record.nonCompliantRules,
  lastError: record.lastError,
  createdAt: record.createdAt,
  updatedAt: record.updatedAt,
});

/** A training job as the API shows it. */
export function toTrainingJob(
  record: TrainingJobRecord,
  items?: OutboxItem[],
): TrainingJob {
  const workflow = record.toolState['submit-workflow'];
  const run = record.toolState['create-run'];
  return {
    ...common(record),
    job_type: record.jobType,
    model_family: record.modelFamily,
    spec: { ...record.spec },
    workflow: toolObject(toolOf(items, 'submit-workflow') ?? 'argo', workflow),
    run: run && {
      ...toolObject(toolOf(items, 'create-run') ?? 'mlflow', run)!,
      experimentId: run.experimentId,
    },
    tracking: record.toolState.tracking,
  };
}

/** A deployment as the API shows it. */
export function toDeployment(
  record: DeploymentRecord,
  items?: OutboxItem[],
): Deployment {
  return {
    ...common(record),
    name: record.name,
    environment: record.environment,
    backend: record.backend,
    namespace: record.namespace,
    revision: record.revision,
    model_ref: record.spec.model_ref,
    spec: { ...record.spec },
    resource: toolObject(
      toolOf(items, 'apply-deployment') ?? record.backend,
      record.toolState['apply-deployment'],
    ),
    tracking: record.toolState.tracking,
  };
}

/** A record's status history, queued deliveries and tool links. */
async function detail(ctx: ApiContext, record: SubjectRecord) {
  const [history, items] = await Promise.all([
    ctx.db.history.list(record.id),
    ctx.db.outbox.forSubject(record.id),
  ]);
  const links = Object.values(record.toolState)
    .map(state => state?.url)
    .filter((url): url is string => typeof url === 'string');
  return {
    items,
    extra: {
      history,
      deliveries: items.map(i => ({
        tool: i.tool,
        operation: i.operation,
        state: i.state,
        attempts: i.attempts,
        nextAttemptAt: i.state === 'pending' ? i.nextAttemptAt : undefined,
        lastError: i.lastError,
      })),
      links,
    },
  };
}

export async function describeTrainingJob(
  ctx: ApiContext,
  record: TrainingJobRecord,
): Promise<TrainingJobDetail> {
  const { items, extra } = await detail(ctx, record);
  return { ...toTrainingJob(record, items), ...extra };
}

export async function describeDeployment(
  ctx: ApiContext,
  record: DeploymentRecord,
): Promise<DeploymentDetail> {
  const { items, extra } = await detail(ctx, record);
  return { ...toDeployment(record, items), ...extra };
}
