import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
// The dry runs call the real /llm-ops/v1 API (test-only; the module itself
// depends on no backend plugin).
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import llmOpsPlugin from '@llmops/plugin-llm-ops-backend';
import { parse, parseAllDocuments } from 'yaml';
import request from 'supertest';
import { scaffolderModuleLlmOps } from './module';
import { createTestTools } from './__testUtils__/testTools';
import { validTrainJobSpec } from './actions/__testUtils__/apiMock';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../../..');

function loadEntities(...files: string[]): Entity[] {
  return files.flatMap(file =>
    parseAllDocuments(readFileSync(path.join(ROOT, file), 'utf8')).map(
      doc => doc.toJSON() as Entity,
    ),
  );
}

/** A template and its files, as the template editor sends them to a dry run. */
function loadTemplate(name: string) {
  const dir = path.join(ROOT, 'templates', name);
  const directoryContents: Array<{ path: string; base64Content: string }> = [];
  const walk = (sub: string) => {
    for (const entry of readdirSync(path.join(dir, sub))) {
      const rel = sub ? `${sub}/${entry}` : entry;
      if (statSync(path.join(dir, rel)).isDirectory()) walk(rel);
      else
        directoryContents.push({
          path: rel,
          base64Content: readFileSync(path.join(dir, rel)).toString('base64'),
        });
    }
  };
  walk('');
  const template = parse(readFileSync(path.join(dir, 'template.yaml'), 'utf8'));
  return { template, directoryContents };
}

/** A template as the catalog holds it, read from its file. */
function templateEntity(name: string): Entity {
  const file = path.join(ROOT, `templates/${name}/template.yaml`);
  const entity = parse(readFileSync(file, 'utf8'));
  entity.metadata.namespace = 'default';
  entity.metadata.annotations = {
    'backstage.io/managed-by-location': `file:${file}`,
    'backstage.io/managed-by-origin-location': `file:${file}`,
  };
  return entity;
}

interface DryRunResponse {
  log: Array<{ body: { message: string; stepId?: string; status?: string } }>;
  directoryContents: Array<{ path: string; base64Content: string }>;
  output: Record<string, unknown>;
  errors?: unknown[];
  error?: { name: string; message: string };
}

const fileOf = (body: DryRunResponse, file: string) => {
  const found = body.directoryContents.find(f => f.path === file);
  if (!found) {
    throw new Error(
      `${file} not in ${body.directoryContents.map(f => f.path).join(', ')}`,
    );
  }
  return Buffer.from(found.base64Content, 'base64').toString('utf8');
};

const trainValues = {
  job_type: 'SFT',
  model_family: 'llama',
  base_model_ref: 'model:default/llama-3-8b',
  dataset: 'dataset:default/support-tickets-sft',
  dataset_version: 'v3',
  lr: 0.0002,
  batch_size: 8,
  num_epochs: 3,
  max_seq_len: 4096,
  precision: 'bf16',
  method: 'lora',
  gpus: 1,
  gpu_type: 'nvidia-a100-80gb',
  nodes: 1,
  artifact_name: 'support-assistant-v5',
  save_format: 'safetensors',
  gitops: false,
};

const deployValues = {
  model_ref: 'model:default/support-assistant-llama-3-8b',
  name: 'support-assistant-dev',
  environment: 'dev',
  gpus: 1,
  gpu_memory_gb: 80,
  max_concurrent_requests: 16,
  max_input_tokens: 4096,
  max_output_tokens: 1024,
  strategy: 'canary',
  traffic_new: 10,
  gitops: false,
};

describe('the templates, through the scaffolder dry-run endpoint', () => {
  let server: Parameters<typeof request>[0];
  let stop: () => Promise<void>;
  const tools = createTestTools();

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleLlmOps,
        llmOpsPlugin,
        tools.module,
        mockServices.rootConfig.factory({
          data: {
            llmOps: {
              environment: 'dev',
              gpuAvailable: true,
              // KServe on Knative, where a canary's split is enforced.
              serving: { deploymentMode: 'Serverless' },
            },
          },
        }),
        catalogServiceMock.factory({
          entities: [
            ...loadEntities('examples/models.yaml', 'examples/datasets.yaml'),
            templateEntity('train-model'),
            templateEntity('promote-deployment'),
          ],
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  });
  afterAll(async () => {
    await stop?.();
  });

  const dryRun = async (name: string, values: object) => {
    const { template, directoryContents } = loadTemplate(name);
    const res = await request(server)
      .post('/api/scaffolder/v2/dry-run')
      .send({ template, values, secrets: {}, directoryContents });
    return res as unknown as { status: number; body: DryRunResponse };
  };

  /** Runs a template as a real task, until it completes or fails. */
  const runTask = async (name: string, values: object) => {
    const created = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .send({ templateRef: `template:default/${name}`, values });
    expect(created.status).toBe(201);
    let task = { status: 'open' };
    for (
      let i = 0;
      i < 100 && !['completed', 'failed'].includes(task.status);
      i++
    ) {
      await new Promise(resolve => setTimeout(resolve, 200));
      task = (
        await request(server).get(`/api/scaffolder/v2/tasks/${created.body.id}`)
      ).body;
    }
    const events = await request(server).get(
      `/api/scaffolder/v2/tasks/${created.body.id}/events`,
    );
    return { task, events };
  };

  const messages = (body: DryRunResponse) =>
    (body.log ?? []).map(l => l.body.message).join('\n');

  describe('Train a model', () => {
    it('renders the expected TrainJobSpec and catalog entry, and would submit it', async () => {
      const res = await dryRun('train-model', trainValues);
      expect(res.status).toBe(200);
      const dir = 'training-jobs/support-assistant-v5';
      expect(parse(fileOf(res.body, `${dir}/trainjob.yaml`))).toEqual(
        validTrainJobSpec,
      );
      expect(parse(fileOf(res.body, `${dir}/catalog-info.yaml`))).toEqual({
        apiVersion: 'llmops.dev/v1alpha1',
        kind: 'Model',
        metadata: {
          name: 'support-assistant-v5',
          description: expect.stringContaining('SFT job'),
        },
        spec: {
          type: 'fine-tuned',
          jobType: 'SFT',
          baseModel: 'model:default/llama-3-8b',
          trainedOn: [
            { dataset: 'dataset:default/support-tickets-sft', version: 'v3' },
          ],
          trainingJob: 'support-assistant-v5',
          family: 'llama',
          owner: 'user:default/mock',
          lifecycle: 'experimental',
          maxPositionEmbeddings: 8192,
          source: 'mlflow://models/support-assistant-v5/1',
        },
      });
      const log = messages(res.body);
      expect(log).toContain('The TrainJobSpec passes every rule');
      expect(log).toContain('Dry run: would submit this TrainJobSpec');
      // Without a git integration chosen, the GitOps step is skipped.
      expect(log).toMatch(/Skipping step publish/i);
      expect(tools.orchestrator.workflows.size).toBe(0);
    });

    it('renders a PRETRAIN job without a base model', async () => {
      const res = await dryRun('train-model', {
        ...trainValues,
        job_type: 'PRETRAIN',
        model_family: 'qwen',
        base_model_ref: undefined,
        dataset: 'dataset:default/web-corpus-en',
        dataset_version: 'v1',
        method: 'full',
        max_seq_len: 2048,
        artifact_name: 'qwen-small',
      });
      expect(res.status).toBe(200);
      const spec = parse(
        fileOf(res.body, 'training-jobs/qwen-small/trainjob.yaml'),
      );
      expect(spec).toMatchObject({ job_type: 'PRETRAIN', method: 'full' });
      expect(spec.base_model_ref ?? null).toBeNull();
      const entity = parse(
        fileOf(res.body, 'training-jobs/qwen-small/catalog-info.yaml'),
      );
      expect(entity.spec).toMatchObject({
        type: 'base',
        maxPositionEmbeddings: 2048,
      });
      expect(entity.spec.baseModel).toBeUndefined();
    });

    it('fails an invalid input with every error and its rule code', async () => {
      const res = await dryRun('train-model', {
        ...trainValues,
        max_seq_len: 16384,
        model_family: 'mistral',
        gpu_type: undefined,
      });
      expect(res.status).toBeGreaterThanOrEqual(400);
      const text = JSON.stringify(res.body);
      expect(res.status).toBe(400);
      expect(text).toContain('The TrainJobSpec is invalid (3 errors)');
      expect(text).toContain('[hyperparams.max_seq_len_exceeds_base_model]');
      expect(text).toContain('[model_family.base_model_mismatch]');
      expect(text).toContain('resources.gpu_type [schema]');
    });
  });

  describe('Deploy a model', () => {
    it('validates the expected DeploymentSpec, writes the Deployment entity, and would apply it', async () => {
      const res = await dryRun('deploy-model', deployValues);
      expect(res.status).toBe(200);
      const log = messages(res.body);
      expect(log).toContain('The DeploymentSpec passes every rule');
      expect(log).toContain(
        'Dry run: would create deployment support-assistant-dev in dev',
      );
      const spec = parse(
        log.split('with this DeploymentSpec:\n')[1].split('\n\n')[0],
      );
      expect(spec).toEqual({
        kind: 'DeploymentSpec',
        model_ref: 'model:default/support-assistant-llama-3-8b',
        model_family: 'llama',
        job_type: 'SFT',
        resources: { gpus: 1, gpu_memory_gb: 80 },
        runtime: {
          max_concurrent_requests: 16,
          max_input_tokens: 4096,
          max_output_tokens: 1024,
        },
        rollout: { strategy: 'canary', traffic_split: { old: 90, new: 10 } },
      });
      expect(parse(fileOf(res.body, 'catalog-info.yaml'))).toMatchObject({
        apiVersion: 'llmops.dev/v1alpha1',
        kind: 'Deployment',
        metadata: { name: 'support-assistant-dev' },
        spec: {
          model: 'model:default/support-assistant-llama-3-8b',
          serveTarget: 'GENERATION',
          backend: 'kserve',
          environment: 'dev',
          owner: 'group:nlp',
          rollout: { strategy: 'canary', trafficSplit: { old: 90, new: 10 } },
        },
      });
    });

    it('sends the picked model version in the DeploymentSpec', async () => {
      const res = await dryRun('deploy-model', {
        ...deployValues,
        model_version: 'latest',
      });
      // not a version or an alias: refused with the rule in words
      const text = JSON.stringify(res.body);
      expect(text).toContain('model_version [schema]');
      expect(text).toContain(
        'a registry version, such as 3, or an alias, such as @champion',
      );
    });

    it('fails an invalid input with every error and its rule code', async () => {
      const res = await dryRun('deploy-model', {
        ...deployValues,
        gpus: 0,
        gpu_memory_gb: 16,
        max_input_tokens: 9000,
      });
      expect(res.status).toBeGreaterThanOrEqual(400);
      const text = JSON.stringify(res.body);
      expect(text).toContain('The DeploymentSpec is invalid (3 errors)');
      expect(text).toContain('resources.gpus [resources.insufficient_gpu]');
      expect(text).toContain(
        'resources.gpu_memory_gb [resources.insufficient_gpu]',
      );
      expect(text).toContain('[runtime.max_input_tokens_exceeds_model]');
    });
  });

  describe('Promote or roll back a deployment', () => {
    it('reports the split a promote would set, without changing it', async () => {
      const created = await request(server)
        .post('/api/llm-ops/v1/deployments')
        .send({
          name: 'support-assistant-stg',
          environment: 'stg',
          spec: {
            kind: 'DeploymentSpec',
            model_ref: 'model:default/support-assistant-llama-3-8b',
            model_family: 'llama',
            job_type: 'SFT',
            resources: { gpus: 1, gpu_memory_gb: 80 },
            runtime: {
              max_concurrent_requests: 8,
              max_input_tokens: 4096,
              max_output_tokens: 512,
            },
            rollout: {
              strategy: 'canary',
              traffic_split: { old: 90, new: 10 },
            },
          },
        });
      expect(created.status).toBe(201);
      const id = created.body.data.id;

      // The form gives the Deployment entity the user picked.
      const res = await dryRun('promote-deployment', {
        deployment: 'deployment:default/support-assistant-stg',
        direction: 'promote',
      });
      expect(res.status).toBe(200);
      const log = messages(res.body);
      expect(log).toContain(
        `deployment:default/support-assistant-stg is LLM Ops deployment ${id}`,
      );
      expect(log).toContain(
        `Dry run: would promote deployment ${id} (support-assistant-stg, stg) from 90/10 to 0/100`,
      );
      expect(JSON.stringify(res.body.output)).toContain(
        `LLM Ops deployment id: ${id}`,
      );
      expect(tools.serving.traffic.size).toBe(0);

      // A Deployment entity the portal did not create has no API record.
      const missing = await dryRun('promote-deployment', {
        deployment: 'deployment:default/hand-made-deployment',
        direction: 'rollback',
      });
      expect(missing.status).toBeGreaterThanOrEqual(400);
      expect(JSON.stringify(missing.body)).toContain(
        'There is no LLM Ops deployment named hand-made-deployment',
      );
    });
  });

  describe('a real task of Promote', () => {
    it('fails in words in the task log: no stack frames, no server paths', async () => {
      const { task, events } = await runTask('promote-deployment', {
        deployment: 'deployment:default/hand-made-deployment',
        direction: 'promote',
      });
      expect(task.status).toBe('failed');
      const failure = events.body.find(
        (e: { body: { status?: string } }) => e.body.status === 'failed',
      )?.body.message as string;
      expect(failure).toBe(
        'There is no LLM Ops deployment named hand-made-deployment (from deployment:default/hand-made-deployment): only a deployment created through the portal (the "Deploy a model" template or the LLM Ops API) can be promoted or rolled back here',
      );
    });
  });

  describe('a real task of Train a model', () => {
    it('submits the job once, as the user, and links to the Argo workflow and the MLflow run', async () => {
      const { task, events } = await runTask('train-model', {
        ...trainValues,
        artifact_name: 'support-assistant-v6',
      });
      const output = events.body.find(
        (e: { type: string }) => e.type === 'completion',
      )?.body.output;
      expect(task.status).toBe('completed');

      expect(tools.orchestrator.workflows.size).toBe(1);
      const [jobId] = [...tools.orchestrator.workflows.keys()];
      expect(tools.tracker.runs.has(jobId)).toBe(true);
      expect(output.links).toEqual([
        {
          // the task page links to the job's page in the portal
          title: 'The training job in the portal',
          icon: 'dashboard',
          url: `/llm-ops/training-jobs/${jobId}`,
        },
        {
          title: 'Argo workflow',
          icon: 'dashboard',
          url: `http://argo.test/workflows/ml/llmops-${jobId}`,
        },
        {
          title: 'MLflow run',
          icon: 'dashboard',
          url: `http://mlflow.test/#/experiments/1/runs/run-${jobId}`,
        },
      ]);
      expect(output.text[0].title).toBe(`Training job ${jobId}`);
      expect(output.text[0].content).toContain('Status: **submitted**');

      const job = await request(server).get(
        `/api/llm-ops/v1/training-jobs/${jobId}`,
      );
      expect(job.body.data.owner).toBe('user:default/mock');
    });
  });
});
