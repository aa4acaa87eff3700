import { MlflowAdapter } from './MlflowAdapter';
import { toolErrorData } from '../tools/ToolError';
import { ToolHttpClient } from './ToolHttpClient';
import {
  describePeer,
  python,
  MlflowPeer,
  startMlflow,
} from '@internal/llmops-test-utils';

jest.setTimeout(180_000);

/** MLflow's own Python client, reading what the adapter wrote. */
const READER = `
import json, sys, mlflow
from mlflow import MlflowClient
arg = json.loads(sys.argv[1])
c = MlflowClient(arg["uri"])
op = arg["op"]
if op == "runs":
    runs = c.search_runs([arg["experiment_id"]], arg.get("filter", ""), max_results=1000)
    out = [{"id": r.info.run_id, "name": r.info.run_name, "params": r.data.params, "tags": {k: v for k, v in r.data.tags.items() if not k.startswith("mlflow.")}} for r in runs]
elif op == "log_metrics":
    for step, value in enumerate(arg["values"]):
        c.log_metric(arg["run_id"], arg["key"], value, step=step, timestamp=1700000000000 + step)
    out = [{"step": m.step, "value": m.value, "timestamp": m.timestamp} for m in c.get_metric_history(arg["run_id"], arg["key"])]
elif op == "log_many":
    from mlflow.entities import Metric
    for start in range(0, arg["count"], 1000):
        c.log_batch(arg["run_id"], metrics=[Metric(arg["key"], 1.0 / (s + 1), 1700000000000 + s, s) for s in range(start, min(start + 1000, arg["count"]))])
    out = True
elif op == "register":
    c.create_registered_model(arg["name"], description="from the test")
    for run_id in arg["run_ids"]:
        c.create_model_version(arg["name"], "runs:/%s/model" % run_id, run_id)
    out = True
elif op == "alias":
    out = c.get_model_version_by_alias(arg["name"], arg["alias"]).version
elif op == "download_uri":
    out = c.get_model_version_download_uri(arg["name"], arg["version"])
elif op == "register_tagged":
    # as training code does: a version registered with the job's tag, from a run of its own
    exp = c.get_experiment_by_name(arg["experiment"]) or c.get_experiment(c.create_experiment(arg["experiment"]))
    run = c.create_run(exp.experiment_id)
    c.create_registered_model(arg["name"])
    v = c.create_model_version(arg["name"], run.info.artifact_uri + "/model", run.info.run_id, tags={"llmops.job_id": arg["job_id"]})
    out = v.version
elif op == "end_run":
    c.set_terminated(arg["run_id"], arg["status"])
    out = True
elif op == "run_status":
    r = c.get_run(arg["run_id"])
    out = {"status": r.info.status, "end_time": r.info.end_time}
elif op == "experiments":
    out = sorted(e.name for e in c.search_experiments())
print(json.dumps(out))
`;

describePeer('MlflowAdapter against a real MLflow server', () => {
  let peer: MlflowPeer;
  let uri: string;
  let adapter: MlflowAdapter;
  const signal = new AbortController().signal;
  const read = <T>(input: object) => python<T>(READER, { uri, ...input });

  beforeAll(async () => {
    peer = await startMlflow();
    uri = peer.uri;
    adapter = new MlflowAdapter(
      new ToolHttpClient({ tool: 'mlflow', baseUrl: uri }),
    );
  });

  afterAll(async () => {
    await peer?.stop();
  });

  it('answers ping', async () => {
    await expect(adapter.ping(signal)).resolves.toBeUndefined();
  });

  it('creates one run per job id, with params and tags the MLflow client reads back', async () => {
    const input = {
      jobId: 'job-7f3a',
      experimentName: 'llmops-finetune',
      runName: 'llama-lora',
      params: { learning_rate: '0.0002', epochs: '3' },
      tags: { 'llmops.dev/model': 'llama-3-8b', team: 'nlp' },
    };
    const first = await adapter.createRun(input, signal);
    const second = await adapter.createRun(input, signal);
    expect(second).toEqual(first);
    expect(first.url).toBe(
      `${uri}/#/experiments/${first.experimentId}/runs/${first.id}`,
    );

    const runs = await read<
      Array<{ id: string; name: string; params: object; tags: object }>
    >({
      op: 'runs',
      experiment_id: first.experimentId,
      filter: "tags.`llmops.job_id` = 'job-7f3a'",
    });
    expect(runs).toEqual([
      {
        id: first.id,
        name: 'llama-lora',
        params: input.params,
        tags: { ...input.tags, 'llmops.job_id': 'job-7f3a' },
      },
    ]);
  });

  it('logs more params than one MLflow batch takes', async () => {
    const params = Object.fromEntries(
      Array.from({ length: 150 }, (_, i) => [`p${i}`, String(i)]),
    );
    const run = await adapter.createRun(
      {
        jobId: 'many-params',
        experimentName: 'llmops-finetune',
        params,
        tags: {},
      },
      signal,
    );
    const [stored] = await read<Array<{ params: object }>>({
      op: 'runs',
      experiment_id: run.experimentId,
      filter: "tags.`llmops.job_id` = 'many-params'",
    });
    expect(stored.params).toEqual(params);
  });

  it('searches runs by filter, page by page', async () => {
    const created = [];
    for (const jobId of ['page-1', 'page-2', 'page-3']) {
      created.push(
        await adapter.createRun(
          {
            jobId,
            experimentName: 'llmops-paging',
            params: { job: jobId },
            tags: { kind: 'paging' },
          },
          signal,
        ),
      );
    }
    const experimentIds = [created[0].experimentId];
    const filter = "tags.kind = 'paging'";
    const first = await adapter.searchRuns(
      { experimentIds, filter, maxResults: 2 },
      signal,
    );
    expect(first.items).toHaveLength(2);
    expect(first.nextPageToken).toBeDefined();
    const second = await adapter.searchRuns(
      { experimentIds, filter, maxResults: 2, pageToken: first.nextPageToken },
      signal,
    );
    expect(second.nextPageToken).toBeUndefined();
    const ids = [...first.items, ...second.items].map(r => r.id).sort();
    const reference = await read<Array<{ id: string }>>({
      op: 'runs',
      experiment_id: experimentIds[0],
      filter,
    });
    expect(ids).toEqual(reference.map(r => r.id).sort());
    expect(ids).toEqual(created.map(r => r.id).sort());
    const run = first.items[0];
    expect(run.params.job).toMatch(/^page-/);
    expect(run.status).toBe('RUNNING');
  });

  it('lists experiments as the MLflow client does', async () => {
    const page = await adapter.listExperiments({ maxResults: 100 }, signal);
    const names = await read<string[]>({ op: 'experiments' });
    expect(page.items.map(e => e.name).sort()).toEqual(names);
    expect(names).toEqual(
      expect.arrayContaining(['llmops-finetune', 'llmops-paging']),
    );
  });

  it('reads the metric history the MLflow client logged', async () => {
    const { id, experimentId } = await adapter.createRun(
      {
        jobId: 'metrics',
        experimentName: 'llmops-finetune',
        params: {},
        tags: {},
      },
      signal,
    );
    const logged = await read<
      Array<{ step: number; value: number; timestamp: number }>
    >({
      op: 'log_metrics',
      run_id: id,
      key: 'train/loss',
      values: [2.5, 1.75, 1.125],
    });
    const history = await adapter.getMetricHistory(id, 'train/loss', signal);
    expect(history).toEqual(logged);
    const { items } = await adapter.searchRuns(
      {
        experimentIds: [experimentId],
        filter: "tags.`llmops.job_id` = 'metrics'",
      },
      signal,
    );
    const run = items[0];
    expect(run.metrics).toEqual({ 'train/loss': 1.125 });
  });

  it("reads a long metric history as MLflow's even sample of at most 10,000 points", async () => {
    const { id } = await adapter.createRun(
      {
        jobId: 'long-metrics',
        experimentName: 'llmops-finetune',
        params: {},
        tags: {},
      },
      signal,
    );
    const count = 10_050;
    await read({ op: 'log_many', run_id: id, key: 'loss', count });
    const history = await adapter.getMetricHistory(id, 'loss', signal);
    expect(history.length).toBeLessThanOrEqual(10_000);
    expect(history.length).toBeGreaterThan(1000);
    expect(history[0]).toEqual({ step: 0, value: 1, timestamp: 1700000000000 });
    expect(history[history.length - 1].step).toBe(count - 1);
  });

  it('lists registered models with versions, and sets an alias the MLflow client reads', async () => {
    const a = await adapter.createRun(
      { jobId: 'reg-a', experimentName: 'llmops-reg', params: {}, tags: {} },
      signal,
    );
    const b = await adapter.createRun(
      { jobId: 'reg-b', experimentName: 'llmops-reg', params: {}, tags: {} },
      signal,
    );
    await read({
      op: 'register',
      name: 'llama-support',
      run_ids: [a.id, b.id],
    });

    await adapter.setModelAlias('llama-support', 'champion', '2', signal);
    await adapter.setModelAlias('llama-support', 'champion', '2', signal); // idempotent
    expect(
      await read({ op: 'alias', name: 'llama-support', alias: 'champion' }),
    ).toBe('2');

    const { items } = await adapter.listRegisteredModels({}, signal);
    const model = items.find(m => m.name === 'llama-support');
    expect(model).toMatchObject({
      name: 'llama-support',
      description: 'from the test',
      aliases: { champion: '2' },
    });
    expect(model!.versions.map(v => [v.version, v.runId, v.source])).toEqual([
      ['1', a.id, `runs:/${a.id}/model`],
      ['2', b.id, `runs:/${b.id}/model`],
    ]);
  });

  it('reads one registered model as the MLflow client wrote it, and 404s an unknown one', async () => {
    const run = await adapter.createRun(
      { jobId: 'one-a', experimentName: 'llmops-one', params: {}, tags: {} },
      signal,
    );
    await read({ op: 'register', name: 'one-model', run_ids: [run.id] });
    await adapter.setModelAlias('one-model', 'challenger', '1', signal);
    const model = await adapter.getRegisteredModel('one-model', signal);
    expect(model).toMatchObject({
      name: 'one-model',
      description: 'from the test',
      aliases: { challenger: '1' },
      versions: [{ version: '1', runId: run.id, status: 'READY' }],
    });
    const missing = await adapter
      .getRegisteredModel('no-such-model', signal)
      .catch(e => e);
    expect(missing.name).toBe('ToolError');
    expect(missing.statusCode).toBe(404);
  });

  it("gives a version's files as MLflow's client finds them, for a model source of mlflow://models/<name>/<version>", async () => {
    const run = await adapter.createRun(
      { jobId: 'uri-a', experimentName: 'llmops-uri', params: {}, tags: {} },
      signal,
    );
    await read({ op: 'register', name: 'uri-model', run_ids: [run.id] });
    const found = await adapter.getModelVersionUri('uri-model', '1', signal);
    expect(found).toBe(
      await read({ op: 'download_uri', name: 'uri-model', version: '1' }),
    );
    expect(found).toMatch(/\/model$/);
    const missing = await adapter
      .getModelVersionUri('uri-model', '9', signal)
      .catch(e => e);
    expect(missing.statusCode).toBe(404);
  });

  it("ends a job's run with its final status, as MLflow's client reads it, unless the training code ended it", async () => {
    const ours = await adapter.createRun(
      { jobId: 'end-a', experimentName: 'llmops-end', params: {}, tags: {} },
      signal,
    );
    expect(await adapter.endRun(ours.id, 'FAILED', signal)).toEqual({
      status: 'FAILED',
      ended: true,
    });
    const read1 = await read<{ status: string; end_time: number }>({
      op: 'run_status',
      run_id: ours.id,
    });
    expect(read1.status).toBe('FAILED');
    expect(read1.end_time).toBeGreaterThan(0);

    const theirs = await adapter.createRun(
      { jobId: 'end-b', experimentName: 'llmops-end', params: {}, tags: {} },
      signal,
    );
    await read({ op: 'end_run', run_id: theirs.id, status: 'FINISHED' });
    expect(await adapter.endRun(theirs.id, 'KILLED', signal)).toEqual({
      status: 'FINISHED',
      ended: false,
    });
    expect(
      (await read<{ status: string }>({ op: 'run_status', run_id: theirs.id }))
        .status,
    ).toBe('FINISHED');
  });

  it("finds the model versions a job produced: by the job's tag, or registered from its run", async () => {
    const run = await adapter.createRun(
      { jobId: 'out-a', experimentName: 'llmops-out', params: {}, tags: {} },
      signal,
    );
    await read({ op: 'register', name: 'out-from-run', run_ids: [run.id] });
    const tagged = await read<string>({
      op: 'register_tagged',
      experiment: 'llmops-out',
      name: 'out-tagged',
      job_id: 'out-a',
    });
    await read({
      op: 'register_tagged',
      experiment: 'llmops-out',
      name: 'out-other',
      job_id: 'out-b',
    });

    const found = await adapter.findJobModelVersions(
      { jobId: 'out-a', runId: run.id },
      signal,
    );
    expect(found.map(v => `${v.name}/${v.version}`)).toEqual([
      'out-from-run/1',
      `out-tagged/${tagged}`,
    ]);
    expect(found[0].runId).toBe(run.id);
    expect(
      await adapter.findJobModelVersions({ jobId: "no-such-job's" }, signal),
    ).toEqual([]);
  });

  it("lists a model's runs across experiments by the converter's artifact tag, newest first, page by page", async () => {
    const ids: string[] = [];
    for (const [i, experimentName] of [
      'llmops-llama-sft',
      'llmops-llama-rlhf',
      'llmops-llama-sft',
    ].entries()) {
      const created = await adapter.createRun(
        {
          jobId: `art-${i}`,
          experimentName,
          params: {},
          tags: { 'llmops.artifact_name': "it's-mine" },
        },
        signal,
      );
      ids.push(created.id);
      await new Promise(r => setTimeout(r, 5)); // distinct start times
    }
    await adapter.createRun(
      {
        jobId: 'art-other',
        experimentName: 'llmops-llama-sft',
        params: {},
        tags: { 'llmops.artifact_name': 'other' },
      },
      signal,
    );
    const first = await adapter.listModelRuns(
      "it's-mine",
      { maxResults: 2 },
      signal,
    );
    expect(first.items.map(r => r.id)).toEqual([ids[2], ids[1]]);
    const second = await adapter.listModelRuns(
      "it's-mine",
      { maxResults: 2, pageToken: first.nextPageToken },
      signal,
    );
    expect(second.items.map(r => r.id)).toEqual([ids[0]]);
    expect(second.nextPageToken).toBeUndefined();
    expect((await adapter.listModelRuns('nobody', {}, signal)).items).toEqual(
      [],
    );
  });

  it("maps MLflow's errors to errors carrying {tool, reason}", async () => {
    const error = await adapter
      .setModelAlias('no-such-model', 'champion', '1', signal)
      .catch(e => e);
    expect(error.name).toBe('ToolError');
    expect(error.statusCode).toBe(404);
    expect(toolErrorData(error)).toEqual({
      tool: 'mlflow',
      reason: 'not-found',
    });
    expect(error.message).toMatch(/^mlflow: .*no-such-model/);
  });
});
