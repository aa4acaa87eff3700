/*
 * `yarn bench:catalog`: ingests 10,000 MLflow model versions, 1,000 DVC
 * datasets and 100 KServe/Ray Serve deployments (plus 10 Hub base models)
 * through the entity providers into a started catalog backend (SQLite in
 * memory), then prints
 *   - the time until the catalog is complete (every entity and relation),
 *   - p50/p95 of catalog queries by kind, by owner and by relation,
 *   - the same queries on as many plain Component entities, and the ratio,
 *   - the time until a change of 1% of the upstream data is reflected.
 *
 * The providers read in-memory fakes of the tool adapters (the llm-ops-node
 * interfaces), since 10,000 versions in a real MLflow would take longer to
 * create than to ingest. Environment:
 *   BENCH_VERSIONS (10000), BENCH_VERSIONS_PER_MODEL (10: one Model entity
 *   per registered model, so 1,000 Model entities; 1 is the worst case,
 *   10,000 Model entities), BENCH_DATASETS (1000), BENCH_DEPLOYMENTS (100),
 *   BENCH_QUERIES (100 per query), BENCH_POLL_MS (2000), BENCH_STITCHING
 *   (immediate, Backstage's default, or deferred).
 * The plain catalog holds as many Component entities as the LLM Ops one
 * holds entities, so that the query ratio compares catalogs of one size.
 */
import {
  createBackendModule,
  coreServices,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  catalogProcessingExtensionPoint,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { DEFAULT_MODEL_FAMILIES } from '@llmops/plugin-llm-ops-common';
import type { AddressInfo } from 'node:net';
import { catalogModuleLlmOpsEntityModel } from '../module';
import { DvcDatasetEntityProvider } from '../providers/DvcDatasetEntityProvider';
import { HuggingFaceModelEntityProvider } from '../providers/HuggingFaceModelEntityProvider';
import type { LlmOpsEntityProvider } from '../providers/LlmOpsEntityProvider';
import { MlflowModelEntityProvider } from '../providers/MlflowModelEntityProvider';
import { ServingDeploymentEntityProvider } from '../providers/ServingDeploymentEntityProvider';
import {
  FakeDataVersioning,
  FakeExperimentTracker,
  FakeHuggingFaceHub,
  FakeServingLister,
} from './fakeTools';

const env = (key: string, fallback: number) =>
  Number(process.env[key] ?? fallback);
const VERSIONS = env('BENCH_VERSIONS', 10_000);
const PER_MODEL = env('BENCH_VERSIONS_PER_MODEL', 10);
const MODELS = Math.ceil(VERSIONS / PER_MODEL);
const DATASETS = env('BENCH_DATASETS', 1_000);
const DEPLOYMENTS = env('BENCH_DEPLOYMENTS', 100);
const QUERIES = env('BENCH_QUERIES', 100);
const POLL_MS = env('BENCH_POLL_MS', 2000);
const STITCHING = process.env.BENCH_STITCHING ?? 'immediate';
const TEAMS = 20;
const BASES = 10;
const FAMILIES = ['llama', 'mistral', 'qwen', 'phi', 'gemma'];
const JOBS = [
  ['SFT', 'sft_pair'],
  ['RAG_TUNING', 'rag_qa'],
  ['RLHF', 'rlhf_pair'],
  ['EMBEDDING', 'embedding_pair'],
  ['PRETRAIN', 'pretrain_corpus'],
] as const;
const TOTAL = MODELS + BASES + DATASETS + DEPLOYMENTS;

const silent: LoggerService = {
  child: () => silent,
  debug: () => {},
  info: () => {},
  warn: (m: string) => process.stderr.write(`warn: ${m}\n`),
  error: (m: string) => process.stderr.write(`error: ${m}\n`),
};

const team = (i: number) => `group:default/team-${i % TEAMS}`;
const datasetPath = (i: number) => `data/ds-${i}`;

function upstream() {
  const hub = new FakeHuggingFaceHub();
  for (let b = 0; b < BASES; b++) {
    hub.repos.set(`acme/base-${b}`, {
      sha: `sha${b}`,
      config: {
        model_type: FAMILIES[b % FAMILIES.length],
        max_position_embeddings: 4096 * (1 + (b % 4)),
      },
    });
  }
  const dvc = new FakeDataVersioning();
  for (let d = 0; d < DATASETS; d++) {
    dvc.datasets.set(`lake/${datasetPath(d)}`, {
      repo: 'lake',
      path: datasetPath(d),
      versions: [
        {
          version: 'v1',
          md5: `${d.toString(16).padStart(28, '0')}abcd.dir`,
          size: 1_000_000 + d,
          files: 1 + (d % 50),
          url: `s3://acme-lake/files/md5/${d}`,
          date: '2026-10-01T00:00:00Z',
        },
      ],
    });
  }
  const tracker = new FakeExperimentTracker();
  for (let m = 0; m < MODELS; m++) {
    const [jobType] = JOBS[m % JOBS.length];
    const b = m % BASES;
    const d = m % DATASETS;
    const versions = Array.from({ length: PER_MODEL }, (_, v) => ({
      version: String(v + 1),
      runId: `run-${m}-${v}`,
      source: `runs:/run-${m}-${v}/model`,
      status: 'READY',
      createdAt: 1_790_000_000_000 + v,
      tags: {
        'llmops.job_id': `job-${m}-${v}`,
        'llmops.dataset_version': 'v1',
      },
    }));
    tracker.models.set(`ft-${m}`, {
      name: `ft-${m}`,
      description: `Fine-tuned model ${m}`,
      tags: {
        'llmops.model_family': FAMILIES[b % FAMILIES.length],
        'llmops.job_type': jobType,
        'llmops.base_model_ref': `model:default/base-${b}`,
        'llmops.dataset_ref': `dataset:default/ds-${d}`,
        'llmops.max_position_embeddings': '8192',
        'llmops.owner': team(m),
      },
      aliases: {},
      versions,
    });
  }
  const serving = new FakeServingLister();
  for (let i = 0; i < DEPLOYMENTS; i++) {
    const backend = i % 4 === 3 ? 'rayserve' : 'kserve';
    serving.objects[backend].push({
      apiVersion:
        backend === 'kserve' ? 'serving.kserve.io/v1beta1' : 'ray.io/v1',
      kind: backend === 'kserve' ? 'InferenceService' : 'RayService',
      metadata: {
        name: `svc-${i}`,
        namespace: i % 2 ? 'llm-prod' : 'llm-dev',
        labels: {
          'llmops.dev/environment': i % 2 ? 'prod' : 'dev',
          'llmops.dev/rollout-strategy': 'canary',
        },
        annotations: {
          'llmops.dev/model-ref': `model:default/ft-${i * 7}`,
          'llmops.dev/owner': team(i),
          'llmops.dev/traffic-split': '90/10',
        },
      },
      spec:
        backend === 'kserve' ? { predictor: { canaryTrafficPercent: 10 } } : {},
      status: {
        url: `https://svc-${i}.example.com`,
        conditions: [{ type: 'Ready', status: 'True' }],
      },
    });
  }
  return { hub, dvc, tracker, serving };
}

/**
 * Plain Component entities in the same graph shape as the LLM Ops catalog:
 * 1,000 libraries (the datasets), 10 platform components (the base models,
 * each a hub of many relations) and services (the fine-tuned models and
 * deployments) that depend on a library and are part of a platform.
 * Each has an owner. The entities are as small as plain ones usually are.
 */
class ComponentProvider implements EntityProvider {
  connection?: EntityProviderConnection;
  getProviderName() {
    return 'bench-components';
  }
  async connect(connection: EntityProviderConnection) {
    this.connection = connection;
  }
  async emit() {
    const entities: Entity[] = [];
    for (let i = 0; i < TOTAL; i++) {
      const lib = i < DATASETS;
      const platform = !lib && i < DATASETS + BASES;
      let name = `svc-${i}`;
      if (lib) name = `lib-${i}`;
      if (platform) name = `platform-${i - DATASETS}`;
      entities.push({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name,
          description: `Component ${i}`,
          annotations: {
            'backstage.io/managed-by-location': 'url:https://bench',
            'backstage.io/managed-by-origin-location': 'url:https://bench',
          },
        },
        spec: {
          type: lib || platform ? 'library' : 'service',
          owner: team(i),
          lifecycle: 'production',
          ...(lib || platform
            ? {}
            : {
                dependsOn: [`component:default/lib-${i % DATASETS}`],
                subcomponentOf: `component:default/platform-${i % BASES}`,
              }),
        },
      });
    }
    await this.connection!.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({ entity, locationKey: 'bench' })),
    });
  }
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function startCatalog(features: any[]) {
  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      catalogModuleLlmOpsEntityModel,
      ...features,
      mockServices.rootConfig.factory({
        data: {
          backend: {
            baseUrl: 'http://localhost:7007',
            database: { client: 'better-sqlite3', connection: ':memory:' },
          },
          catalog: {
            rules: [{ allow: ['Component', 'Model', 'Dataset', 'Deployment'] }],
            // Deferred stitching batches the final entities' writes; both
            // catalogs use the same strategy.
            stitchingStrategy:
              STITCHING === 'deferred'
                ? { mode: 'deferred', pollingInterval: { milliseconds: 200 } }
                : { mode: 'immediate' },
          },
        },
      }),
    ],
  });
  const { port } = backend.server.address() as AddressInfo;
  const auth = mockCredentials.user.header();
  const query = async (filter: string, limit = 20, fields?: string) => {
    const res = await fetch(
      `http://localhost:${port}/api/catalog/entities/by-query?filter=${encodeURIComponent(
        filter,
      )}&limit=${limit}${fields ? `&fields=${fields}` : ''}`,
      { headers: { authorization: auth } },
    );
    if (!res.ok)
      throw new Error(`${filter}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { items: Entity[]; totalItems: number };
  };
  const count = async (filter: string) => (await query(filter, 1)).totalItems;
  return { backend, query, count };
}

async function waitFor(
  check: () => Promise<boolean | string>,
  timeoutMs: number,
  what: string,
) {
  const started = performance.now();
  let last = 0;
  for (;;) {
    const state = await check();
    if (state === true) break;
    if (performance.now() - last > 10_000 && typeof state === 'string') {
      last = performance.now();
      process.stderr.write(`  waiting for ${what}: ${state}\n`);
    }
    if (performance.now() - started > timeoutMs) {
      throw new Error(`${what} not reached in ${seconds(timeoutMs)}: ${state}`);
    }
    // better-sqlite3 is synchronous: each poll stalls the catalog's own work
    await new Promise(r => setTimeout(r, POLL_MS));
  }
  return performance.now() - started;
}

/** The compared queries: the LLM Ops catalog's, and the plain catalog's of the same shape. */
const QUERY_SET = [
  { name: 'by kind', llm: () => 'kind=model', plain: () => 'kind=component' },
  {
    name: 'by owner',
    llm: (i: number) => `relations.ownedBy=${team(i)}`,
    plain: (i: number) => `relations.ownedBy=${team(i)}`,
  },
  {
    name: 'by relation',
    llm: (i: number) =>
      `relations.trainedOn=dataset:default/ds-${(i * 37) % DATASETS}`,
    plain: (i: number) =>
      `relations.dependsOn=component:default/lib-${(i * 37) % DATASETS}`,
  },
];
/** The same queries, asking only for the fields a list shows. */
const PROJECTION =
  'kind,metadata.namespace,metadata.name,metadata.title,spec.owner';

type Query = (
  filter: string,
  limit?: number,
  fields?: string,
) => Promise<unknown>;
type Figures = Record<string, { p50: number; p95: number }>;

async function measure(llmQuery: Query, plainQuery: Query) {
  const results: { llm: Figures; plain: Figures } = { llm: {}, plain: {} };
  for (const fields of [undefined, PROJECTION]) {
    for (const q of QUERY_SET) {
      const sides = [
        {
          side: 'llm' as const,
          query: llmQuery,
          filters: q.llm,
          times: [] as number[],
        },
        {
          side: 'plain' as const,
          query: plainQuery,
          filters: q.plain,
          times: [] as number[],
        },
      ];
      for (let i = -5; i < QUERIES; i++) {
        for (const s of i % 2 ? sides : [...sides].reverse()) {
          const t0 = performance.now();
          await s.query(s.filters(Math.abs(i)), 20, fields);
          if (i >= 0) s.times.push(performance.now() - t0); // the first 5 warm up
        }
      }
      for (const s of sides) {
        s.times.sort((a, b) => a - b);
        results[s.side][`${q.name}${fields ? ', list fields' : ''}`] = {
          p50: percentile(s.times, 50),
          p95: percentile(s.times, 95),
        };
      }
    }
  }
  return results;
}

async function main() {
  const tools = upstream();
  const providers: LlmOpsEntityProvider[] = [
    new HuggingFaceModelEntityProvider({
      logger: silent,
      hub: tools.hub,
      endpoint: 'https://hf.example.com',
      repos: Array.from({ length: BASES }, (_, b) => ({
        repo: `acme/base-${b}`,
        owner: team(b),
      })),
      modelFamilies: DEFAULT_MODEL_FAMILIES,
      defaultOwner: 'group:default/ml-platform',
    }),
    new DvcDatasetEntityProvider({
      logger: silent,
      dvc: tools.dvc,
      repos: [{ name: 'lake', url: 'https://git.example.com/lake.git' }],
      rules: JOBS.map(([, type], k) => ({
        match: `lake/data/ds-*${k}`,
        type,
      })).concat([{ match: 'lake/**', type: 'sft_pair' }]),
      defaultOwner: 'group:default/data',
    }),
    new MlflowModelEntityProvider({
      logger: silent,
      tracker: tools.tracker,
      baseUrl: 'https://mlflow.example.com',
      modelFamilies: DEFAULT_MODEL_FAMILIES,
      pageSize: 500,
    }),
    new ServingDeploymentEntityProvider({
      logger: silent,
      cluster: 'bench',
      clusterUrl: 'https://k8s.example.com',
      lister: tools.serving,
    }),
  ];
  const benchModule = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'llm-ops-bench',
    register(reg) {
      reg.registerInit({
        deps: {
          catalog: catalogProcessingExtensionPoint,
          logger: coreServices.logger,
        },
        async init({ catalog }) {
          catalog.addEntityProvider(providers);
        },
      });
    },
  });

  console.log(
    `upstream: ${VERSIONS} model versions (${MODELS} registered models, ${PER_MODEL} versions each), ${BASES} Hub base models, ${DATASETS} datasets, ${DEPLOYMENTS} deployments → ${TOTAL} entities; ${STITCHING} stitching`,
  );
  const llm = await startCatalog([benchModule]);
  const servedModels = new Set(
    [...tools.serving.objects.kserve, ...tools.serving.objects.rayserve].map(
      o => o.metadata.annotations!['llmops.dev/model-ref'],
    ),
  ).size;
  const usedDatasets = Math.min(DATASETS, MODELS);
  const complete = async () => {
    const expected: Array<[string, number]> = [
      ['kind=model', MODELS + BASES],
      ['kind=dataset', DATASETS],
      ['kind=deployment', DEPLOYMENTS],
      ['kind=model,relations.trainedOn', MODELS],
      ['kind=model,relations.baseOf', BASES],
      ['kind=dataset,relations.trained', usedDatasets],
      ['kind=model,relations.servedBy', servedModels],
    ];
    const missing: string[] = [];
    for (const [filter, n] of expected) {
      const got = await llm.count(filter);
      if (got !== n) missing.push(`${filter}: ${got}/${n}`);
      if (missing.length) break;
    }
    return missing.length ? missing.join(', ') : true;
  };

  const t0 = performance.now();
  const runs = await Promise.all(providers.map(p => p.refresh()));
  const read = performance.now() - t0;
  await waitFor(complete, 600_000, 'a complete catalog');
  const ingest = performance.now() - t0;
  console.log(
    `providers read and emitted ${runs.reduce(
      (n, r) => n + r.added,
      0,
    )} entities in ${seconds(read)}`,
  );
  console.log(
    `catalog complete (entities, relations both ways) after ${seconds(
      ingest,
    )} (aim: < 60 s)`,
  );

  // 1% of the upstream data changes: new versions, new dataset versions, traffic.
  const changedModels = Math.round(MODELS / 100);
  const changedDatasets = Math.round(DATASETS / 100);
  const changedDeployments = Math.max(1, Math.round(DEPLOYMENTS / 100));
  for (let m = 0; m < changedModels; m++) {
    const model = tools.tracker.models.get(`ft-${(m * 97) % MODELS}`)!;
    const next = String(model.versions.length + 1);
    model.versions.push({
      ...model.versions[model.versions.length - 1],
      version: next,
      runId: `run-${m}-new`,
    });
    model.aliases.champion = next;
  }
  for (let d = 0; d < changedDatasets; d++) {
    const dataset = tools.dvc.datasets.get(
      `lake/${datasetPath((d * 89) % DATASETS)}`,
    )!;
    dataset.versions.unshift({ ...dataset.versions[0], version: 'v2' });
  }
  for (let i = 0; i < changedDeployments; i++) {
    tools.serving.objects.kserve[i].spec!.predictor!.canaryTrafficPercent = 50;
  }
  const t1 = performance.now();
  const deltas = await Promise.all(providers.map(p => p.refresh()));
  await waitFor(
    async () =>
      (await llm.count('kind=model,spec.registry.aliases.champion')) ===
        changedModels &&
      (await llm.count('kind=dataset,spec.versions.version=v2')) ===
        changedDatasets &&
      (await llm.count('kind=deployment,spec.rollout.trafficSplit.new=50')) ===
        changedDeployments,
    300_000,
    'the 1% change',
  );
  const change = performance.now() - t1;
  console.log(
    `1% change (${changedModels} models, ${changedDatasets} datasets, ${changedDeployments} deployment): providers sent ${deltas
      .map(d => `${d.type} +${d.added}/-${d.removed}`)
      .join(', ')}; catalog reflected it after ${seconds(change)}`,
  );

  const components = new ComponentProvider();
  const plainModule = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'bench-components',
    register(reg) {
      reg.registerInit({
        deps: { catalog: catalogProcessingExtensionPoint },
        async init({ catalog }) {
          catalog.addEntityProvider(components);
        },
      });
    },
  });
  const plain = await startCatalog([plainModule]);
  const t2 = performance.now();
  await components.emit();
  await waitFor(
    async () =>
      (await plain.count('kind=component')) === TOTAL &&
      (await plain.count('kind=component,relations.dependencyOf')) ===
        DATASETS &&
      (await plain.count('kind=component,relations.hasPart')) === BASES,
    900_000,
    'a complete plain catalog',
  );
  console.log(
    `plain catalog: ${TOTAL} Component entities complete after ${seconds(
      performance.now() - t2,
    )}`,
  );
  // Both catalogs are up and idle: their queries alternate, so that other
  // load on the machine weighs on both alike.
  const { llm: llmTimes, plain: plainTimes } = await measure(
    llm.query,
    plain.query,
  );
  await llm.backend.stop();
  await plain.backend.stop();

  console.log(
    `\nqueries (${QUERIES} each, first page of 20, through the catalog API):`,
  );
  console.log(
    `${'query'.padEnd(
      26,
    )} llm-ops p50/p95 ms   plain p50/p95 ms   ratio p50/p95`,
  );
  for (const key of Object.keys(llmTimes)) {
    const a = llmTimes[key];
    const b = plainTimes[key];
    console.log(
      `${key.padEnd(26)} ${a.p50.toFixed(1).padStart(7)} / ${a.p95
        .toFixed(1)
        .padEnd(9)} ${b.p50.toFixed(1).padStart(7)} / ${b.p95
        .toFixed(1)
        .padEnd(8)} ${(a.p50 / b.p50).toFixed(2)}× / ${(a.p95 / b.p95).toFixed(
        2,
      )}×`,
    );
  }
}

main()
  .then(() => process.exit(0))
  .catch(error => {
    console.error(error);
    process.exit(1);
  });
