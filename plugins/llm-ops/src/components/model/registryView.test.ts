import type { Deployment, Run } from '@llmops/plugin-llm-ops-common';
import {
  buildRegistryView,
  catalogDifferences,
  describeCatalogDifferences,
  mlflowRunUrl,
  RegistryViewInput,
} from './registryView';

const registry: RegistryViewInput['registry'] = {
  name: 'support-assistant',
  aliases: { champion: '3', challenger: '4', baseline: '3' },
  versions: [
    { version: '3', status: 'READY', runId: 'a1b2c3d4e5f6', createdAt: 1 },
    { version: '10', status: 'READY', runId: 'ffff0000aaaa' },
    { version: '4', status: 'PENDING_REGISTRATION', runId: '0123456789ab' },
    { version: '2' },
  ],
};

function run(id: string, name?: string): Run {
  return {
    id,
    experimentId: '7',
    name,
    status: 'FINISHED',
    params: {},
    tags: {},
    metrics: {},
  };
}

function deployment(
  name: string,
  environment: Deployment['environment'],
  spec: Record<string, unknown> = {},
  status = 'ready',
): Deployment {
  return {
    id: `id-${name}`,
    name,
    environment,
    status,
    owner: 'group:nlp',
    backend: 'kserve',
    revision: 1,
    model_ref: 'model:default/support-assistant-llama-3-8b',
    spec,
    createdAt: '2026-11-02T11:05:00Z',
    updatedAt: '2026-11-02T11:05:00Z',
  };
}

const rowOf = (view: ReturnType<typeof buildRegistryView>, version: string) =>
  view.rows.find(r => r.version === version)!;

describe('buildRegistryView', () => {
  it('lists the versions newest first, numerically, with their aliases sorted', () => {
    const view = buildRegistryView({ registry });
    expect(view.rows.map(r => r.version)).toEqual(['10', '4', '3', '2']);
    expect(rowOf(view, '3').aliases).toEqual(['baseline', 'champion']);
    expect(rowOf(view, '4').aliases).toEqual(['challenger']);
    expect(rowOf(view, '10').aliases).toEqual([]);
  });

  it('names the run of each version and links it in MLflow only with a public URL', () => {
    const runs = [run('a1b2c3d4e5f6', 'sft-lr-2e-5'), run('0123456789ab')];
    const linked = buildRegistryView({
      registry,
      runs,
      mlflowUrl: 'https://mlflow.example.com/',
    });
    expect(rowOf(linked, '3').run).toEqual({
      id: 'a1b2c3d4e5f6',
      label: 'sft-lr-2e-5',
      known: true,
      url: 'https://mlflow.example.com/#/experiments/7/runs/a1b2c3d4e5f6',
    });
    // a known run without a name keeps its id, short
    expect(rowOf(linked, '4').run).toMatchObject({
      label: '01234567',
      known: true,
    });
    // a run not among those read: eight characters of its id, not linked
    expect(rowOf(linked, '10').run).toEqual({
      id: 'ffff0000aaaa',
      label: 'ffff0000',
      known: false,
    });
    expect(rowOf(linked, '2').run).toBeUndefined();

    const unlinked = buildRegistryView({ registry, runs });
    expect(rowOf(unlinked, '3').run).toEqual({
      id: 'a1b2c3d4e5f6',
      label: 'sft-lr-2e-5',
      known: true,
      url: undefined,
    });
  });

  it('marks the version the catalog source names', () => {
    const view = buildRegistryView({
      registry,
      source: 'mlflow://models/support-assistant/4',
    });
    expect(view.sourceVersion).toBe('4');
    expect(view.rows.filter(r => r.catalogSource).map(r => r.version)).toEqual([
      '4',
    ]);
    expect(view.sourceProblem).toBeUndefined();
  });

  it('resolves a catalog source that names an alias', () => {
    const view = buildRegistryView({
      registry,
      source: 'mlflow://models/support-assistant/@champion',
    });
    expect(view.sourceVersion).toBe('3');
    expect(rowOf(view, '3').catalogSource).toBe(true);
  });

  it('marks nothing for a source of another model or another scheme', () => {
    for (const source of [
      'mlflow://models/other-model/3',
      'hf://meta-llama/Meta-Llama-3-8B',
    ]) {
      const view = buildRegistryView({ registry, source });
      expect(view.sourceVersion).toBeUndefined();
      expect(view.rows.some(r => r.catalogSource)).toBe(false);
    }
  });

  it('says when the catalog source names a version that is not listed', () => {
    const view = buildRegistryView({
      registry,
      source: 'mlflow://models/support-assistant/9',
    });
    expect(view.rows.some(r => r.catalogSource)).toBe(false);
    expect(view.sourceProblem).toBe(
      'The catalog source (mlflow://models/support-assistant/9) names version 9, which is not among the versions of support-assistant shown here.',
    );
  });

  it('places each deployment by its model_version, else by the catalog source', () => {
    const view = buildRegistryView({
      registry,
      source: 'mlflow://models/support-assistant/4',
      deployments: [
        deployment('sa-dev', 'dev', { model_version: '3' }, 'progressing'),
        deployment('sa-prod', 'prod', { model_version: '3' }),
        deployment('sa-stg', 'stg'),
        deployment('sa-canary', 'prod', { model_version: '@challenger' }),
      ],
    });
    expect(rowOf(view, '3').serving).toEqual([
      {
        deploymentId: 'id-sa-prod',
        name: 'sa-prod',
        environment: 'prod',
        status: 'ready',
        label: 'prod: sa-prod',
        via: 'model_version',
      },
      expect.objectContaining({
        label: 'dev: sa-dev',
        status: 'progressing',
      }),
    ]);
    expect(rowOf(view, '4').serving.map(s => [s.label, s.via])).toEqual([
      ['prod: sa-canary', 'model_version'],
      ['stg: sa-stg', 'source'],
    ]);
    expect(rowOf(view, '10').serving).toEqual([]);
    expect(view.unplaced).toEqual([]);
  });

  it('keeps the deployments it cannot place under a version, saying why', () => {
    const view = buildRegistryView({
      registry,
      source: 'hf://meta-llama/Meta-Llama-3-8B',
      deployments: [
        deployment('pinned-gone', 'prod', { model_version: '9' }),
        deployment('bad-alias', 'stg', { model_version: '@retired' }),
        deployment('garbage', 'dev', { model_version: 'latest' }),
        deployment('from-hf', 'dev'),
      ],
    });
    expect(view.rows.every(r => r.serving.length === 0)).toBe(true);
    expect(view.unplaced.map(u => [u.deployment.label, u.reason])).toEqual([
      [
        'prod: pinned-gone',
        'its model_version names version 9, which is not among the versions shown here',
      ],
      [
        'stg: bad-alias',
        'its model_version @retired names an alias that is not set on support-assistant',
      ],
      [
        'dev: from-hf',
        "it serves the Model's source hf://meta-llama/Meta-Llama-3-8B, which is not a version of support-assistant",
      ],
      [
        'dev: garbage',
        'its model_version "latest" is neither a version number nor an @alias',
      ],
    ]);
  });
});

describe('mlflowRunUrl', () => {
  it('joins the public URL and the run page, encoding the ids', () => {
    expect(mlflowRunUrl('https://mlflow.example.com', '1', 'r/1')).toBe(
      'https://mlflow.example.com/#/experiments/1/runs/r%2F1',
    );
    expect(mlflowRunUrl('https://x.test/mlflow//', '2', 'abc')).toBe(
      'https://x.test/mlflow/#/experiments/2/runs/abc',
    );
  });
});

describe('catalogDifferences', () => {
  const mlflow = {
    aliases: { champion: '4', challenger: '5' },
    versions: [
      { version: '3', status: 'READY' },
      { version: '4', status: 'READY' },
      { version: '5', status: 'READY' },
    ],
  };

  it('finds nothing when the catalog agrees or records no registry', () => {
    expect(
      catalogDifferences(
        {
          aliases: { challenger: '5', champion: '4' },
          versions: [
            { version: '5', status: 'READY' },
            { version: '4' },
            { version: '3', status: 'READY' },
          ],
        },
        mlflow,
      ),
    ).toEqual([]);
    expect(catalogDifferences(undefined, mlflow)).toEqual([]);
    // a part the catalog does not record is not compared
    expect(catalogDifferences({}, mlflow)).toEqual([]);
  });

  it('names an alias that points elsewhere', () => {
    const differences = catalogDifferences(
      { aliases: { champion: '3', challenger: '5' } },
      mlflow,
    );
    expect(differences).toEqual([
      { catalog: 'champion → 3', mlflow: 'champion → 4' },
    ]);
    expect(describeCatalogDifferences(differences)).toBe(
      'The catalog (last synced from MLflow) says champion → 3; MLflow says champion → 4. The catalog catches up on its next sync.',
    );
  });

  it('names aliases set on one side, versions one side lacks and statuses that differ', () => {
    const differences = catalogDifferences(
      {
        aliases: { champion: '4', staging: '2' },
        versions: [
          { version: '2', status: 'READY' },
          { version: '3', status: 'READY' },
          { version: '4', status: 'PENDING_REGISTRATION' },
        ],
      },
      mlflow,
    );
    expect(differences).toEqual([
      { catalog: 'challenger is not set', mlflow: 'challenger → 5' },
      { catalog: 'staging → 2', mlflow: 'staging is not set' },
      { catalog: 'version 5 does not exist', mlflow: 'version 5 exists' },
      { catalog: 'version 2 exists', mlflow: 'version 2 does not exist' },
      {
        catalog: 'version 4 is PENDING_REGISTRATION',
        mlflow: 'version 4 is READY',
      },
    ]);
    expect(describeCatalogDifferences(differences)).toBe(
      'The catalog (last synced from MLflow) says challenger is not set, staging → 2, version 5 does not exist, version 2 exists and version 4 is PENDING_REGISTRATION; ' +
        'MLflow says challenger → 5, staging is not set, version 5 exists, version 2 does not exist and version 4 is READY. ' +
        'The catalog catches up on its next sync.',
    );
  });

  it('groups the versions one side lacks', () => {
    expect(
      catalogDifferences(
        { versions: [{ version: '3' }] },
        {
          aliases: {},
          versions: [{ version: '3' }, { version: '10' }, { version: '4' }],
        },
      ),
    ).toEqual([
      {
        catalog: 'versions 4, 10 do not exist',
        mlflow: 'versions 4, 10 exist',
      },
    ]);
  });

  it('says nothing when there are no differences', () => {
    expect(describeCatalogDifferences([])).toBeUndefined();
  });
});
