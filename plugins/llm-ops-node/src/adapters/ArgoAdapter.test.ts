import fs from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { parse } from 'yaml';
// The converters are not exported from the package root yet: switch to it once they are.
import { trainJobToArgoWorkflow } from '@llmops/plugin-llm-ops-common';
import {
  ARGO_JOB_ID_ANNOTATION,
  ArgoAdapter,
  argoWorkflowName,
} from './ArgoAdapter';
import { ToolHttpClient } from './ToolHttpClient';
import {
  KubeApiserver,
  startKubeApiserver,
  describePeer,
  fixturesDir,
} from '@internal/llmops-test-utils';

jest.setTimeout(180_000);

const sft = parse(`
kind: TrainJobSpec
job_type: SFT
model_family: llama
base_model_ref: model:default/llama-3-8b
dataset_ref: { name: support-chats, version: v3, type: sft_pair, storage_uri: 's3://datasets/support-chats/v3' }
hyperparams: { lr: 2.0e-5, batch_size: 8, num_epochs: 3, max_seq_len: 8192, precision: bf16 }
method: lora
resources: { gpus: 4, gpu_type: nvidia-a100-80gb, nodes: 1 }
output: { artifact_name: llama-3-8b-support-sft, save_format: safetensors }
`);

describe('argoWorkflowName', () => {
  it('is deterministic, DNS-safe and at most 63 characters', () => {
    const long = `Job_${'x'.repeat(100)}`;
    for (const id of ['job-1', 'JOB 1', long, '---']) {
      const name = argoWorkflowName(id);
      expect(name).toBe(argoWorkflowName(id));
      expect(name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      expect(name.length).toBeLessThanOrEqual(63);
    }
    expect(argoWorkflowName('job-1')).not.toBe(argoWorkflowName('JOB 1'));
  });
});

describePeer(
  'ArgoAdapter (kubernetes mode) against a real Kubernetes API server',
  () => {
    let kube: KubeApiserver;
    let argo: ArgoAdapter;
    const signal = new AbortController().signal;
    const list = async () =>
      (
        await kube.call(
          'GET',
          '/apis/argoproj.io/v1alpha1/namespaces/training/workflows',
        )
      ).body.items;

    beforeAll(async () => {
      kube = await startKubeApiserver(['argo/argoproj.io_workflows.yaml']);
      const http = new ToolHttpClient({
        tool: 'argo',
        baseUrl: kube.url,
        auth: { type: 'bearer', token: kube.token },
      });
      argo = new ArgoAdapter(http, 'default', 'kubernetes');
    });
    afterAll(async () => {
      await kube?.stop();
    });

    it('answers ping', async () => {
      await expect(argo.ping(signal)).resolves.toBeUndefined();
    });

    it('creates one Workflow per job id, valid against the CRD, with nothing pruned', async () => {
      const workflow = trainJobToArgoWorkflow(sft, { namespace: 'training' });
      const ref = await argo.submitWorkflow(
        { jobId: 'job-42', workflow },
        signal,
      );
      expect(ref).toEqual({
        id: argoWorkflowName('job-42'),
        namespace: 'training',
      });
      const again = await argo.submitWorkflow(
        { jobId: 'job-42', workflow },
        signal,
      );
      expect(again).toEqual(ref);

      const items = await list();
      expect(items).toHaveLength(1);
      expect(items[0].metadata.name).toBe(ref.id);
      expect(items[0].metadata.annotations[ARGO_JOB_ID_ANNOTATION]).toBe(
        'job-42',
      );
      expect(items[0].metadata.labels).toEqual(workflow.metadata.labels);
      expect(items[0].spec).toEqual(workflow.spec);

      await argo.submitWorkflow({ jobId: 'job-43', workflow }, signal);
      expect(await list()).toHaveLength(2);
    });

    it('reads the phase and node phases the controller writes', async () => {
      const ref = { id: argoWorkflowName('job-42'), namespace: 'training' };
      expect(await argo.getWorkflow(ref, signal)).toEqual({
        phase: 'Pending',
        nodes: [],
      });
      const wfPath = `/apis/argoproj.io/v1alpha1/namespaces/training/workflows/${ref.id}`;
      const current = (await kube.call('GET', wfPath)).body;
      const written = await kube.call('PUT', wfPath, {
        ...current,
        status: {
          phase: 'Running',
          startedAt: '2026-01-01T00:00:00Z',
          nodes: {
            [ref.id]: {
              id: ref.id,
              name: ref.id,
              displayName: ref.id,
              type: 'Steps',
              phase: 'Running',
            },
            [`${ref.id}-1`]: {
              id: `${ref.id}-1`,
              name: `${ref.id}[0].train`,
              displayName: 'train',
              type: 'Pod',
              phase: 'Succeeded',
            },
          },
        },
      });
      expect(written.status).toBe(200);
      expect(await argo.getWorkflow(ref, signal)).toEqual({
        phase: 'Running',
        startedAt: '2026-01-01T00:00:00Z',
        nodes: [
          { name: ref.id, phase: 'Running' },
          { name: 'train', phase: 'Succeeded' },
        ],
      });
    });

    it('stops a workflow by setting spec.shutdown', async () => {
      const ref = { id: argoWorkflowName('job-43'), namespace: 'training' };
      await argo.stopWorkflow(ref, signal);
      const wfPath = `/apis/argoproj.io/v1alpha1/namespaces/training/workflows/${ref.id}`;
      expect((await kube.call('GET', wfPath)).body.spec.shutdown).toBe('Stop');
    });

    it('reports a missing workflow as a 404 ToolError from argo', async () => {
      const error = await argo
        .getWorkflow({ id: 'nope', namespace: 'training' }, signal)
        .catch(e => e);
      expect(error.name).toBe('ToolError');
      expect(error.statusCode).toBe(404);
      expect(error).toMatchObject({ tool: 'argo', reason: 'not-found' });
    });
  },
);

/**
 * argo-server cannot run here, so this stand-in checks each request against
 * the operation and body schema of argo-server's own swagger.json, and keeps
 * workflows by name as argo-server does (409 for a taken name).
 */
describe('ArgoAdapter (server mode) against the argo-server API contract', () => {
  const swagger = JSON.parse(
    fs.readFileSync(path.join(fixturesDir(), 'argo/swagger.json'), 'utf8'),
  );
  const bodyKeys = (definition: string) =>
    Object.keys(
      swagger.definitions[`io.argoproj.workflow.v1alpha1.${definition}`]
        .properties,
    );
  const stored = new Map<string, any>();
  let server: Server;
  let argo: ArgoAdapter;
  const signal = new AbortController().signal;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let text = '';
      req.on('data', c => (text += c));
      req.on('end', () => {
        const send = (status: number, body: unknown) =>
          res
            .writeHead(status, { 'content-type': 'application/json' })
            .end(JSON.stringify(body));
        const route = Object.keys(swagger.paths).find(p =>
          new RegExp(`^${p.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(req.url!),
        );
        const operation =
          route && swagger.paths[route][req.method!.toLowerCase()];
        if (!operation)
          return send(404, { code: 5, message: `no ${req.method} ${req.url}` });
        if (req.headers.authorization !== 'Bearer argo-token')
          return send(401, { code: 16, message: 'unauthorized' });
        if (route === '/api/v1/version')
          return send(200, { version: 'v4.1.0' });
        const body = text ? JSON.parse(text) : undefined;
        const [, , , , namespace, name] = req.url!.split('/');
        if (req.method === 'POST') {
          const unknown = Object.keys(body).filter(
            k => !bodyKeys('WorkflowCreateRequest').includes(k),
          );
          if (unknown.length || body.namespace !== namespace)
            return send(400, { code: 3, message: `bad body ${unknown}` });
          const key = `${namespace}/${body.workflow.metadata.name}`;
          if (stored.has(key))
            return send(409, {
              code: 6,
              message: `workflows.argoproj.io "${body.workflow.metadata.name}" already exists`,
            });
          stored.set(key, body.workflow);
          return send(200, body.workflow);
        }
        if (req.method === 'PUT') {
          const unknown = Object.keys(body).filter(
            k => !bodyKeys('WorkflowStopRequest').includes(k),
          );
          if (unknown.length)
            return send(400, { code: 3, message: `bad body ${unknown}` });
          stored.get(`${namespace}/${name}`).spec.shutdown = 'Stop';
        }
        const workflow = stored.get(`${namespace}/${name}`);
        return workflow
          ? send(200, workflow)
          : send(404, { code: 5, message: 'not found' });
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${
      (server.address() as AddressInfo).port
    }`;
    argo = new ArgoAdapter(
      new ToolHttpClient({
        tool: 'argo',
        baseUrl,
        auth: { type: 'bearer', token: 'argo-token' },
      }),
      'training',
    );
  });
  afterAll(() => new Promise(resolve => server.close(resolve)));

  it('submits once per job id, reads the status and stops it', async () => {
    const workflow = trainJobToArgoWorkflow(sft, { namespace: 'training' });
    const ref = await argo.submitWorkflow({ jobId: 'job-9', workflow }, signal);
    expect(ref).toMatchObject({
      id: argoWorkflowName('job-9'),
      namespace: 'training',
    });
    expect(ref.url).toMatch(new RegExp(`/workflows/training/${ref.id}$`));
    expect(
      await argo.submitWorkflow({ jobId: 'job-9', workflow }, signal),
    ).toEqual(ref);
    expect(stored.size).toBe(1);
    expect(await argo.getWorkflow(ref, signal)).toEqual({
      phase: 'Pending',
      nodes: [],
    });
    await argo.stopWorkflow(ref, signal);
    expect(stored.get(`training/${ref.id}`).spec.shutdown).toBe('Stop');
    await expect(argo.ping(signal)).resolves.toBeUndefined();
  });
});
