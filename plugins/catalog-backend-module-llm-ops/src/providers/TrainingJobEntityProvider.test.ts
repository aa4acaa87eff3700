import type {
  TrainingJob,
  TrainingJobPage,
} from '@llmops/plugin-llm-ops-common';
import {
  processEntity,
  RecordingConnection,
  recordingLogger,
} from '../__testUtils__/recordingConnection';
import { TrainingJobEntityProvider } from './TrainingJobEntityProvider';

const ID = '5b0c7a52-3f0e-4a7e-9d2c-0c5e8f1a2b3c';

/** A job as `GET /training-jobs` returns it. */
function job(overrides: Partial<TrainingJob> = {}): TrainingJob {
  return {
    id: ID,
    owner: 'user:default/alice',
    status: 'running',
    job_type: 'SFT',
    model_family: 'llama',
    spec: {
      kind: 'TrainJobSpec',
      job_type: 'SFT',
      model_family: 'llama',
      base_model_ref: 'llama-3-8b',
      dataset_ref: {
        name: 'support-tickets',
        version: 'v2',
        type: 'sft_pair',
        storage_uri: 's3://datasets/support-tickets',
      },
      output: { artifact_name: 'support-bot', save_format: 'hf' },
    },
    createdAt: '2026-12-01T10:00:00.000Z',
    updatedAt: '2026-12-01T10:05:00.000Z',
    ...overrides,
  };
}

/** The API's list, newest first, `limit` per page, counting the calls. */
class ListedJobs {
  calls: Array<{ cursor?: string; limit?: number }> = [];
  constructor(public jobs: TrainingJob[]) {}
  async listTrainingJobs(query: {
    cursor?: string;
    limit?: number;
  }): Promise<TrainingJobPage> {
    this.calls.push(query);
    const start = Number(query.cursor ?? 0);
    const end = start + (query.limit ?? 50);
    return {
      items: this.jobs.slice(start, end),
      ...(end < this.jobs.length ? { nextCursor: String(end) } : {}),
    };
  }
}

function provider(
  jobs: ListedJobs,
  maxJobs?: number,
  models?: Record<string, string>,
) {
  const logger = recordingLogger();
  const connection = new RecordingConnection();
  const p = new TrainingJobEntityProvider({
    logger,
    jobs,
    apiBaseUrl: 'http://backstage:7007/api/llm-ops',
    appBaseUrl: 'http://backstage:3000',
    maxJobs,
    modelsOfRegisteredNames: models
      ? async names =>
          new Map(names.filter(n => models[n]).map(n => [n, models[n]]))
      : undefined,
  });
  return { p, connection, logger };
}

describe('TrainingJobEntityProvider', () => {
  it('draws dataset version -> job -> model version from the job and its tracked outputs', async () => {
    const jobs = new ListedJobs([
      job({
        status: 'succeeded',
        tracking: {
          phase: 'Succeeded',
          checkedAt: '2026-12-01T11:00:00.000Z',
          startedAt: '2026-12-01T10:01:00.000Z',
          finishedAt: '2026-12-01T10:31:00.000Z',
          gpuHours: 4,
          outputModelVersions: [
            { name: 'Support Bot', version: '7' },
            { name: 'support-assistant', version: '2' },
          ],
        },
      }),
    ]);
    // The catalog's Model for an MLflow name, by its llmops.dev/mlflow-model annotation.
    const { p, connection } = provider(jobs, undefined, {
      'support-assistant': 'model:default/support-assistant-llama-3-8b',
    });
    await p.connect(connection);
    await p.refresh();

    const entity = connection.entities.get(`trainingjob:default/${ID}`)!;
    expect(entity.metadata.title).toBe('support-bot (job 5b0c7a52)');
    expect(entity.metadata.links).toEqual([
      {
        url: `http://backstage:3000/llm-ops/training-jobs/${ID}`,
        title: 'Training job',
      },
    ]);
    expect(entity.spec).toEqual({
      owner: 'user:default/alice',
      status: 'succeeded',
      jobType: 'SFT',
      modelFamily: 'llama',
      baseModel: 'model:default/llama-3-8b',
      trainedOn: [
        { dataset: 'dataset:default/support-tickets', version: 'v2' },
      ],
      produced: [
        // No entity has the annotation: named as the MLflow provider names it.
        { model: 'model:default/support-bot', version: '7' },
        { model: 'model:default/support-assistant-llama-3-8b', version: '2' },
      ],
      gpuHours: 4,
      startedAt: '2026-12-01T10:01:00.000Z',
      finishedAt: '2026-12-01T10:31:00.000Z',
    });
    const { valid, relations } = await processEntity(entity);
    expect(valid).toBe(true);
    expect(relations).toEqual(
      expect.arrayContaining([
        `dataset:default/support-tickets trained trainingjob:default/${ID}`,
        `trainingjob:default/${ID} produced model:default/support-bot`,
        `model:default/support-bot producedBy trainingjob:default/${ID}`,
      ]),
    );
  });

  it('follows a job as it changes: the output appears in the next delta', async () => {
    const jobs = new ListedJobs([job()]);
    const { p, connection } = provider(jobs);
    await p.connect(connection);
    await p.refresh();
    expect(connection.last().type).toBe('full');
    expect(
      connection.entities.get(`trainingjob:default/${ID}`)!.spec!.produced,
    ).toBeUndefined();

    jobs.jobs = [
      job({
        status: 'succeeded',
        tracking: {
          phase: 'Succeeded',
          checkedAt: '2026-12-01T11:00:00.000Z',
          outputModelVersions: [{ name: 'support-bot', version: '1' }],
        },
      }),
    ];
    await p.refresh();
    expect(connection.last()).toEqual({
      type: 'delta',
      added: [`trainingjob:default/${ID}`],
      removed: [],
    });
    expect(
      connection.entities.get(`trainingjob:default/${ID}`)!.spec!.produced,
    ).toEqual([{ model: 'model:default/support-bot', version: '1' }]);
  });

  it('reads pages up to maxJobs, newest first, and leaves out jobs that never ran', async () => {
    const many = Array.from({ length: 7 }, (_, i) =>
      job({
        id: `00000000-0000-4000-8000-00000000000${i}`,
        status: i === 1 ? 'non_compliant' : 'succeeded',
      }),
    );
    const jobs = new ListedJobs(many);
    const { p, connection } = provider(jobs, 5);
    await p.connect(connection);
    await p.refresh();
    expect(jobs.calls).toEqual([{ cursor: undefined, limit: 5 }]);
    expect([...connection.entities.keys()].sort()).toEqual([
      'trainingjob:default/00000000-0000-4000-8000-000000000000',
      'trainingjob:default/00000000-0000-4000-8000-000000000002',
      'trainingjob:default/00000000-0000-4000-8000-000000000003',
      'trainingjob:default/00000000-0000-4000-8000-000000000004',
    ]);
  });

  it('skips a job it cannot draw, naming why, and keeps the others', async () => {
    const jobs = new ListedJobs([
      job({ id: '11111111-1111-4111-8111-111111111111', job_type: 'DISTILL' }),
      job(),
    ]);
    const { p, connection, logger } = provider(jobs);
    await p.connect(connection);
    await p.refresh();
    expect([...connection.entities.keys()]).toEqual([
      `trainingjob:default/${ID}`,
    ]);
    expect(logger.warnings).toEqual([
      "Skipping training job 11111111-1111-4111-8111-111111111111: job type 'DISTILL' is unknown",
    ]);
  });

  it('keeps its entities while the API does not answer', async () => {
    const jobs = new ListedJobs([job()]);
    const { p, connection } = provider(jobs);
    await p.connect(connection);
    await p.refresh();
    jobs.listTrainingJobs = async () => {
      throw new Error('llm-ops: 503 Service Unavailable');
    };
    await p.refresh();
    expect([...connection.entities.keys()]).toEqual([
      `trainingjob:default/${ID}`,
    ]);
    expect(p.getHealth()).toMatchObject({ healthy: false, entityCount: 1 });
  });

  it('runs once more after the refresh in progress for a burst of change events', async () => {
    const jobs = new ListedJobs([job()]);
    const { p, connection } = provider(jobs);
    await p.connect(connection);
    const first = p.refresh();
    // Twenty transitions while the first read is under way: one more read.
    const after = Array.from({ length: 20 }, () => p.refreshAfterChange());
    await Promise.all([first, ...after]);
    expect(jobs.calls).toHaveLength(2);
  });
});
