import {
  DeploymentTracking,
  ServingStatus,
  TRAIN_NODE_TEMPLATE,
  trainJobWorkflowName,
  TrainingJobTracking,
} from '@llmops/plugin-llm-ops-common';
import {
  describeError,
  LlmOpsAdapter,
  ModelVersionRef,
  RunEndStatus,
  ToolObjectRef,
  WorkflowStatus,
} from '@llmops/plugin-llm-ops-node';
import type { DeploymentRecord, TrainingJobRecord } from '../database/records';
import type { ApiContext } from './context';
import { tableOf } from './settlement';

/** A status change the tracker recorded, for events, signals and notifications. */
export interface SubjectTransition {
  kind: 'training-job' | 'deployment';
  id: string;
  owner: string;
  from: string;
  to: string;
  reason?: string;
  at: string;
  /** What people call it: a job's artifact name, a deployment's name. */
  name?: string;
  /** The catalog entity it concerns: a job's output Model, a deployment's Model. */
  entityRef?: string;
}

/** Told of every transition the tracker records (once, by the instance that recorded it). */
export type TransitionListener = (
  transition: SubjectTransition,
) => Promise<void>;

/** Told when the tracker records the model versions a job registered. */
export type OutputListener = (output: {
  id: string;
  owner: string;
  outputModelVersions: ModelVersionRef[];
}) => Promise<void>;

type Transition = { status: string; reason?: string; at?: string };

/** A tool's watch: one window of it, and what one of its changes means. */
interface Watch {
  adapter: LlmOpsAdapter;
  window(
    from: string | undefined,
    onChange: (key: string) => void,
    signal: AbortSignal,
  ): Promise<string | undefined>;
  changed(key: string): Promise<number>;
}

/** Jobs the tracker follows until they end. */
const ACTIVE_JOBS = ['submitted', 'running', 'cancelling'];
/** Deployments the tracker follows: applied, and not replaced by a newer revision in the queue. */
const ACTIVE_DEPLOYMENTS = ['applying', 'progressing', 'ready', 'degraded'];
const ENDED_BY: Record<string, RunEndStatus> = {
  succeeded: 'FINISHED',
  failed: 'FAILED',
  cancelled: 'KILLED',
};
/** How long after a job succeeded the tracker still looks for the model versions it registered. */
const OUTPUT_GRACE_MS = 60 * 60 * 1000;
/**
 * How long after a job ended the tracker still tries to end its run (MLflow
 * down): a round reads only the jobs that ended this recently, not every
 * job that ever ended.
 */
const FOLLOW_UP_MS = 24 * 60 * 60 * 1000;
/** Tool calls the tracker makes at once. */
const CONCURRENCY = 8;

const seconds = (from?: string, to?: string) =>
  from && to
    ? Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000)
    : undefined;

/**
 * A job's status from its workflow's state, as Argo reports it: `running`
 * once a pod has started, `failed` with the step, message and exit code of
 * the pod that failed, `cancelled` once a stop it was asked for has ended
 * the workflow; until a pod starts, `submitted` with why the pods wait.
 */
export function jobProgress(
  current: string,
  workflow: WorkflowStatus,
  gpusPerPod: number,
  now: Date,
): { transitions: Transition[]; tracking: TrainingJobTracking } {
  const pods = (workflow.nodes ?? []).filter(n => n.type === 'Pod');
  const started = pods.filter(p => p.phase !== 'Pending' && p.startedAt);
  const firstStart = started.map(p => p.startedAt!).sort()[0];
  const waiting = pods.find(p => p.phase === 'Pending' && p.message);
  const failedPod = pods
    .filter(p => ['Failed', 'Error'].includes(p.phase))
    .sort((a, b) => (a.finishedAt ?? '').localeCompare(b.finishedAt ?? ''))[0];
  const end = workflow.finishedAt ?? now.toISOString();
  const gpuSeconds = started
    .filter(p => !p.templateName || p.templateName === TRAIN_NODE_TEMPLATE)
    .reduce(
      (sum, p) => sum + (seconds(p.startedAt, p.finishedAt ?? end) ?? 0),
      0,
    );

  const ended = ['Succeeded', 'Failed', 'Error'].includes(workflow.phase);
  const stopped =
    ended &&
    workflow.phase !== 'Succeeded' &&
    (current === 'cancelling' ||
      /Stopped with strategy|terminated/i.test(workflow.message ?? ''));
  let next: Transition;
  if (workflow.phase === 'Succeeded') {
    next = {
      status: 'succeeded',
      reason: workflow.message || 'workflow Succeeded',
      at: workflow.finishedAt,
    };
  } else if (stopped) {
    next = {
      status: 'cancelled',
      reason: workflow.message || 'stopped',
      at: workflow.finishedAt,
    };
  } else if (ended) {
    next = {
      status: 'failed',
      reason: failedPod
        ? failedStepReason(failedPod)
        : workflow.message || `workflow ${workflow.phase}`,
      at: workflow.finishedAt,
    };
  } else if (current === 'cancelling') {
    next = { status: 'cancelling' };
  } else if (firstStart) {
    next = {
      status: 'running',
      reason: 'a training pod started',
      at: firstStart,
    };
  } else {
    next = { status: 'submitted' };
  }

  const transitions: Transition[] = [];
  // A job that ended while nobody watched still passed through running.
  if (
    current === 'submitted' &&
    next.status !== 'running' &&
    next.status !== 'submitted' &&
    firstStart
  ) {
    transitions.push({
      status: 'running',
      reason: 'a training pod started',
      at: firstStart,
    });
  }
  if (next.status !== current) transitions.push(next);

  return {
    transitions,
    tracking: {
      phase: workflow.phase,
      reason:
        next.status === 'submitted' || next.status === 'running'
          ? waiting?.message
          : next.reason,
      startedAt: workflow.startedAt,
      finishedAt: workflow.finishedAt,
      durationSeconds: seconds(workflow.startedAt, end),
      gpuHours: Math.round(((gpuSeconds * gpusPerPod) / 3600) * 1000) / 1000,
      failedStep:
        next.status === 'failed' && failedPod
          ? {
              name: failedPod.name,
              template: failedPod.templateName,
              message: failedPod.message,
              exitCode: failedPod.exitCode,
            }
          : undefined,
      checkedAt: now.toISOString(),
    },
  };
}

/**
 * A deployment's status from its resource's conditions: `ready` while the
 * serving tool says Ready, `degraded` when it stops being Ready, `failed`
 * when a condition says so before it was ever Ready, else `progressing`.
 */
export function deploymentProgress(
  current: string,
  serving: ServingStatus,
  now: Date,
): { transitions: Transition[]; tracking: DeploymentTracking } {
  const notReady = serving.conditions.filter(c => c.status === 'False');
  const blocking = notReady.find(c => c.type === 'Ready') ?? notReady[0];
  const why =
    blocking &&
    [blocking.type, blocking.reason, blocking.message]
      .filter(Boolean)
      .join(': ');
  const failing = notReady.find(c =>
    /fail|error|invalid/i.test(c.reason ?? ''),
  );
  let next: Transition;
  if (serving.ready) next = { status: 'ready', reason: 'Ready' };
  else if (current === 'ready' || current === 'degraded')
    next = { status: 'degraded', reason: why ?? 'no longer Ready' };
  else if (failing)
    next = {
      status: 'failed',
      reason: [failing.type, failing.reason, failing.message]
        .filter(Boolean)
        .join(': '),
    };
  else if (serving.conditions.length > 0)
    next = { status: 'progressing', reason: why };
  else next = { status: current };
  return {
    transitions: next.status === current ? [] : [next],
    tracking: {
      ready: serving.ready,
      reason: serving.ready ? undefined : why,
      observedSplit: serving.trafficSplit,
      url: serving.url,
      conditions: serving.conditions,
      checkedAt: now.toISOString(),
    },
  };
}

/** Waits `ms`, or less if `signal` aborts. */
/**
 * Why a job failed, as Argo's UI would say it: the step (its display name
 * and template), the pod's message and its exit code, once.
 */
function failedStepReason(
  pod: NonNullable<WorkflowStatus['nodes']>[number],
): string {
  const step = pod.templateName
    ? `${pod.name} (${pod.templateName})`
    : pod.name;
  const message = pod.message ?? pod.phase;
  const exit =
    pod.exitCode !== undefined && !/exit code/.test(message)
      ? ` (exit code ${pod.exitCode})`
      : '';
  return `step ${step} failed: ${message}${exit}`;
}

function pause(ms: number, signal: AbortSignal) {
  return new Promise<void>(resolve => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Runs `fn` over the items, at most `limit` at a time. */
async function forEachLimited<T>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<void>,
) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
}

/** What people call a record, and the Model entity it concerns. */
function subjectNames(record: TrainingJobRecord | DeploymentRecord) {
  if (record.kind === 'deployments') {
    return { name: record.name, entityRef: record.spec.model_ref };
  }
  const artifact = record.spec.output?.artifact_name;
  // the Model the job trains, as the catalog's MLflow provider names it
  return {
    name: artifact,
    entityRef: artifact ? `model:default/${artifact}` : undefined,
  };
}

/** An ended job whose run is not yet ended, or whose output is not yet known. */
function needsFollowUp(job: TrainingJobRecord): boolean {
  const tracking = job.toolState.tracking;
  if (!job.toolState['create-run'] || !tracking) return false;
  if (!tracking.runStatus) return true;
  return (
    job.status === 'succeeded' &&
    !tracking.outputModelVersions?.length &&
    Date.now() - Date.parse(tracking.finishedAt ?? job.updatedAt) <
      OUTPUT_GRACE_MS
  );
}

/**
 * Follows what the portal started to its end, from the tools' own state:
 * jobs through their workflows, deployments through their resources. Every
 * change is a compare-and-set on the record's status, so that two backend
 * instances (or two rounds) never record one transition twice; what an
 * instance missed while it was down, the next round reads from the tool.
 */
export class LifecycleTracker {
  constructor(
    private readonly ctx: ApiContext,
    private readonly onTransition: TransitionListener = async () => {},
    private readonly onOutputs: OutputListener = async () => {},
  ) {}

  /** One round over every job and deployment the tracker follows. */
  async trackAll(): Promise<{
    jobs: number;
    deployments: number;
    transitions: number;
  }> {
    const [jobs, followUps, deployments] = await Promise.all([
      this.ctx.db.trainingJobs.listByStatus(ACTIVE_JOBS),
      this.ctx.db.trainingJobs.listByStatus(
        Object.keys(ENDED_BY),
        new Date(Date.now() - FOLLOW_UP_MS).toISOString(),
      ),
      this.ctx.db.deployments.listByStatus(ACTIVE_DEPLOYMENTS),
    ]);
    let transitions = 0;
    const count = (n: number) => {
      transitions += n;
    };
    await forEachLimited(jobs, CONCURRENCY, async job =>
      count(await this.#guard(job.id, () => this.trackJob(job))),
    );
    await forEachLimited(followUps.filter(needsFollowUp), CONCURRENCY, job =>
      this.#guard(job.id, () => this.#finishJob(job)).then(() => {}),
    );
    await forEachLimited(deployments, CONCURRENCY, async d =>
      count(await this.#guard(d.id, () => this.trackDeployment(d))),
    );
    return { jobs: jobs.length, deployments: deployments.length, transitions };
  }

  /** Where each tool's watch goes on from (this instance's), by tool id. */
  readonly #watchFrom = new Map<string, string | undefined>();

  /**
   * Follows the watches of the orchestrator and of the serving tools until
   * `signal` aborts, tracking each job whose workflow changes, and each
   * deployment whose resource changes, at once rather than at the next
   * round. The rounds of `trackAll` stay: they catch what a watch missed.
   */
  async watch(signal: AbortSignal): Promise<number> {
    const watches = this.#watches();
    const counts = await Promise.all(
      watches.map(async w => {
        let transitions = 0;
        while (!signal.aborted) {
          transitions += await this.#watchWindow(w, signal);
          // expired or failed: wait a little before watching from now
          if (this.#watchFrom.get(w.adapter.tool) === undefined) {
            await pause(5000, signal);
          }
        }
        return transitions;
      }),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  /** Each enabled tool that can watch, with what one of its changes means. */
  #watches(): Watch[] {
    const watches: Watch[] = [];
    const orchestrator = this.ctx.tools.find('orchestration');
    if (orchestrator?.watchWorkflows) {
      watches.push({
        adapter: orchestrator,
        window: (from, onChange, signal) =>
          orchestrator.watchWorkflows!(from, onChange, signal),
        changed: async (jobId: string) => {
          const job = await this.ctx.db.trainingJobs.get(jobId);
          if (!job || !ACTIVE_JOBS.includes(job.status)) return 0;
          return this.#guard(jobId, () => this.trackJob(job));
        },
      });
    }
    for (const target of this.ctx.tools.targets) {
      const serving = target.enabled ? target.adapter : undefined;
      if (serving?.category !== 'serving' || !serving.watchDeployments) {
        continue;
      }
      watches.push({
        adapter: serving,
        window: (from, onChange, signal) =>
          serving.watchDeployments!(
            from,
            ref => onChange(`${ref.namespace ?? ''}/${ref.id}`),
            signal,
          ),
        changed: async (key: string) => {
          // the portal's deployments that the changed resource is
          const active = await this.ctx.db.deployments.listByStatus(
            ACTIVE_DEPLOYMENTS,
          );
          let transitions = 0;
          for (const d of active) {
            const ref = d.toolState['apply-deployment'];
            if (
              d.backend !== serving.tool ||
              !ref ||
              `${ref.namespace ?? ''}/${ref.id}` !== key
            ) {
              continue;
            }
            transitions += await this.#guard(d.id, () =>
              this.trackDeployment(d),
            );
          }
          return transitions;
        },
      });
    }
    return watches;
  }

  /** One window of a tool's watch; each change is tracked as it comes, in order. */
  async #watchWindow(w: Watch, signal: AbortSignal): Promise<number> {
    let transitions = 0;
    let tracked = Promise.resolve();
    const onChange = (key: string) => {
      tracked = tracked.then(async () => {
        transitions += await w.changed(key);
      });
    };
    const tool = w.adapter.tool;
    try {
      this.#watchFrom.set(
        tool,
        await this.ctx.tools.call(w.adapter, (_a, callSignal) =>
          w.window(
            this.#watchFrom.get(tool),
            onChange,
            AbortSignal.any([callSignal, signal]),
          ),
        ),
      );
    } catch (error) {
      this.#watchFrom.set(tool, undefined);
      if (!signal.aborted)
        this.ctx.logger.debug(`${tool} watch ended: ${describeError(error)}`);
    }
    await tracked;
    return transitions;
  }

  /** Reads a job's workflow and records what changed; gives the number of transitions. */
  async trackJob(job: TrainingJobRecord): Promise<number> {
    const orchestrator = this.ctx.tools.find('orchestration');
    if (!orchestrator) return 0;
    const ref: ToolObjectRef = job.toolState['submit-workflow'] ?? {
      // a cancel while the submission was in flight: the converter's name
      id: trainJobWorkflowName(job.id),
    };
    let workflow: WorkflowStatus;
    try {
      workflow = await this.ctx.tools.call(orchestrator, (a, signal) =>
        a.getWorkflow(ref, signal),
      );
    } catch (error) {
      const gone = (error as { statusCode?: number }).statusCode === 404;
      // stopped before the workflow was made: nothing runs
      if (
        gone &&
        job.status === 'cancelling' &&
        !(await this.#submissionPending(job.id))
      ) {
        return this.#record(
          job,
          [
            {
              status: 'cancelled',
              reason: 'cancelled before the workflow was created',
            },
          ],
          {},
        );
      }
      throw error;
    }
    if (
      job.status === 'cancelling' &&
      !['Succeeded', 'Failed', 'Error'].includes(workflow.phase)
    ) {
      // The queued stop may have reached Argo before the workflow did: ask again.
      await this.ctx.tools
        .call(orchestrator, (a, signal) => a.stopWorkflow(ref, signal))
        .catch(error =>
          this.ctx.logger.debug(
            `Stop of ${ref.id} not taken yet: ${describeError(error)}`,
          ),
        );
    }
    const gpus = job.spec.resources?.gpus ?? 0;
    const { transitions, tracking } = jobProgress(
      job.status,
      workflow,
      gpus,
      new Date(),
    );
    const recorded = await this.#record(job, transitions, {
      tracking: { ...job.toolState.tracking, ...tracking },
    });
    if (recorded && ENDED_BY[transitions.at(-1)!.status]) {
      await this.#finishJob(await this.ctx.db.trainingJobs.require(job.id));
    }
    return recorded;
  }

  /** Reads a deployment's resource and records what changed. */
  async trackDeployment(deployment: DeploymentRecord): Promise<number> {
    const ref = deployment.toolState['apply-deployment'];
    const serving = this.ctx.tools.find('serving', deployment.backend);
    if (!ref || !serving) return 0;
    const status = await this.ctx.tools.call(serving, (a, signal) =>
      a.getDeploymentStatus(ref, signal),
    );
    const { transitions, tracking } = deploymentProgress(
      deployment.status,
      status,
      new Date(),
    );
    let readySince: string | undefined;
    if (transitions.at(-1)?.status === 'ready')
      readySince = new Date().toISOString();
    else if (status.ready)
      readySince = deployment.toolState.tracking?.readySince;
    return this.#record(deployment, transitions, {
      tracking: { ...tracking, readySince },
    });
  }

  /**
   * After a job ended: ends its MLflow run with the matching status (unless
   * the training code did) and records the model versions it registered.
   * Repeated until both are known, since MLflow may be down when it ends.
   */
  async #finishJob(job: TrainingJobRecord) {
    const tracker = this.ctx.tools.find('experiment-tracking');
    const run = job.toolState['create-run'];
    if (!tracker || !run) return;
    const tracking = job.toolState.tracking ?? {
      phase: 'unknown',
      checkedAt: new Date().toISOString(),
    };
    const next = { ...tracking };
    if (!tracking.runStatus) {
      const ended = await this.ctx.tools.call(tracker, (a, signal) =>
        a.endRun(run.id, ENDED_BY[job.status], signal),
      );
      next.runStatus = ended.status;
    }
    if (job.status === 'succeeded' && !tracking.outputModelVersions?.length) {
      next.outputModelVersions = await this.ctx.tools.call(
        tracker,
        (a, signal) =>
          a.findJobModelVersions({ jobId: job.id, runId: run.id }, signal),
      );
    }
    await this.ctx.db.trainingJobs.update(job.id, {
      toolState: { tracking: next },
    });
    if (
      next.outputModelVersions?.length &&
      !tracking.outputModelVersions?.length
    ) {
      await this.onOutputs({
        id: job.id,
        owner: job.owner,
        outputModelVersions: next.outputModelVersions,
      }).catch(error =>
        this.ctx.logger.warn(
          `Could not announce the outputs of ${job.id}: ${describeError(
            error,
          )}`,
        ),
      );
    }
  }

  async #record(
    record: TrainingJobRecord | DeploymentRecord,
    transitions: Transition[],
    toolState: { tracking?: object },
  ): Promise<number> {
    const table = tableOf(this.ctx, record);
    const updated = await table.updateIf(record.id, record.status, {
      transitions: transitions.length ? transitions : undefined,
      toolState: toolState as never,
      lastError: transitions.length ? null : undefined,
    });
    if (!updated || transitions.length === 0) return 0;
    const announced: SubjectTransition[] = transitions.map((t, i) => ({
      kind: record.kind === 'training_jobs' ? 'training-job' : 'deployment',
      id: record.id,
      owner: record.owner,
      from: i === 0 ? record.status : transitions[i - 1].status,
      to: t.status,
      reason: t.reason,
      at: t.at ?? updated.updatedAt,
      ...subjectNames(record),
    }));
    for (const transition of announced) {
      await this.onTransition(transition).catch(error =>
        this.ctx.logger.warn(
          `Could not announce ${transition.id} ${transition.from} → ${
            transition.to
          }: ${describeError(error)}`,
        ),
      );
    }
    return transitions.length;
  }

  async #submissionPending(id: string) {
    const items = await this.ctx.db.outbox.forSubject(id);
    return items.some(
      i => i.operation === 'submit-workflow' && i.state === 'pending',
    );
  }

  /** One record's failure (its tool down) never stops the round. */
  async #guard(
    id: string,
    track: () => Promise<number | void>,
  ): Promise<number> {
    try {
      return (await track()) ?? 0;
    } catch (error) {
      this.ctx.logger.debug(
        `Lifecycle of ${id} not read: ${describeError(error)}`,
      );
      return 0;
    }
  }
}
