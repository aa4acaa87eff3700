import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Entity } from '@backstage/catalog-model';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  aliasProblem,
  Deployment,
  LlmOpsApiError,
  RegisteredModel,
  Run,
} from '@llmops/plugin-llm-ops-common';
import type { LlmOpsApi } from '../../api/LlmOpsApi';
import { ModelRegistryCard } from './ModelRegistryCard';
import {
  fakeApi,
  modelEntity,
  renderWithEntity,
  staleRead,
} from './__testUtils__/renderWithEntity';

function registered(aliases: Record<string, string>): RegisteredModel {
  return {
    name: 'support-assistant',
    aliases,
    versions: [
      {
        version: '3',
        status: 'READY',
        runId: 'run-3',
        createdAt: Date.UTC(2026, 9, 28),
        tags: { dataset: 'v2' },
      },
      {
        version: '4',
        status: 'READY',
        runId: 'run-4',
        createdAt: Date.UTC(2026, 10, 2),
      },
    ],
  };
}

/** A registry whose aliases change when set; no runs are read, nothing is deployed. */
function registryApi() {
  let aliases: Record<string, string> = { champion: '3', challenger: '4' };
  return fakeApi({
    listModelRuns: jest.fn(async () => ({ items: [], stale: false })),
    listDeployments: jest.fn(async () => ({ items: [] })),
    listToolUis: jest.fn(async () => []),
    getRegisteredModel: jest.fn(async () => ({
      ...registered(aliases),
      stale: false,
    })),
    setModelAlias: jest.fn(
      async (_name: string, alias: string, version: string) => {
        aliases = { ...aliases, [alias]: version };
        return {
          name: 'support-assistant',
          alias,
          version,
          status: 'applied' as const,
        };
      },
    ),
  });
}

/** Clicks Promote once the permission is known, and confirms; gives what the dialog said. */
async function promote() {
  const button = screen.getByRole('button', { name: 'Promote' });
  await waitFor(() => expect(button).toBeEnabled());
  await userEvent.click(button);
  const dialog = await screen.findByRole('dialog');
  const said = dialog.textContent;
  await userEvent.click(
    within(dialog).getByRole('button', { name: 'Promote' }),
  );
  return said;
}

async function chooseVersion(version: string) {
  fireEvent.mouseDown(screen.getByLabelText('Version'));
  fireEvent.click(await screen.findByRole('option', { name: version }));
}

describe('ModelRegistryCard', () => {
  it('shows the versions and the aliases', async () => {
    await renderWithEntity(<ModelRegistryCard />, {
      entity: modelEntity,
      api: registryApi(),
    });

    expect(await screen.findByText('champion → 3')).toBeInTheDocument();
    expect(screen.getByText('challenger → 4')).toBeInTheDocument();
    const row = within(screen.getByText('run-3').closest('tr')!);
    expect(row.getByText('READY')).toBeInTheDocument();
    // the version's tags are its tooltip
    expect(row.getByTitle('dataset=v2')).toBeInTheDocument();
    expect(
      row.getByText(new Date(Date.UTC(2026, 9, 28)).toLocaleString()),
    ).toBeInTheDocument();
    expect(screen.getByText('run-4')).toBeInTheDocument();
  });

  it('points an alias at the chosen version and shows the new aliases', async () => {
    const api = registryApi();
    await renderWithEntity(<ModelRegistryCard />, { entity: modelEntity, api });
    await screen.findByText('champion → 3');

    await userEvent.type(screen.getByLabelText('Alias'), 'champion');
    await chooseVersion('4');
    expect(await promote()).toBe(
      'Point champion of support-assistant at version 4?champion now points at version 3. Whatever loads support-assistant@champion from MLflow gets version 4 from then on.Go backPromote',
    );

    expect(api.setModelAlias).toHaveBeenCalledWith(
      'support-assistant',
      'champion',
      '4',
    );
    expect(await screen.findByText('champion → 4')).toBeInTheDocument();
    expect(api.getRegisteredModel).toHaveBeenCalledTimes(2);
  });

  it('creates a new alias typed by the user', async () => {
    const api = registryApi();
    await renderWithEntity(<ModelRegistryCard />, { entity: modelEntity, api });
    await screen.findByText('champion → 3');

    await userEvent.type(screen.getByLabelText('Alias'), 'staging');
    await promote();

    // the newest version is chosen by default
    expect(api.setModelAlias).toHaveBeenCalledWith(
      'support-assistant',
      'staging',
      '4',
    );
    expect(await screen.findByText('staging → 4')).toBeInTheDocument();
  });

  it('says when the change waits in the retry queue because MLflow is down', async () => {
    const api = registryApi();
    (api.setModelAlias as jest.Mock).mockResolvedValue({ status: 'queued' });
    await renderWithEntity(<ModelRegistryCard />, { entity: modelEntity, api });
    await screen.findByText('champion → 3');

    await userEvent.type(screen.getByLabelText('Alias'), 'champion');
    await promote();

    expect(
      await screen.findByText(/waits in the retry queue/),
    ).toHaveTextContent(
      'MLflow is unreachable: champion → 4 waits in the retry queue',
    );
    expect(screen.getByText('champion → 3')).toBeInTheDocument();
  });

  it('shows the error of a refused promotion', async () => {
    const api = registryApi();
    (api.setModelAlias as jest.Mock).mockRejectedValue(
      new LlmOpsApiError(403, 'Not allowed: llmops.model.alias.update'),
    );
    await renderWithEntity(<ModelRegistryCard />, { entity: modelEntity, api });
    await screen.findByText('champion → 3');

    await userEvent.type(screen.getByLabelText('Alias'), 'champion');
    await promote();

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not set the alias: Not allowed: llmops.model.alias.update',
    );
    expect(screen.getByText('champion → 3')).toBeInTheDocument();
  });

  it('shows the stale banner above a stale registry read', async () => {
    await renderWithEntity(<ModelRegistryCard />, {
      entity: modelEntity,
      api: fakeApi({
        getRegisteredModel: async () => ({ ...registered({}), ...staleRead }),
      }),
    });
    expect(await screen.findByText(/Can't reach MLflow/)).toBeInTheDocument();
    expect(screen.getByText('No aliases are set.')).toBeInTheDocument();
  });

  it('shows an empty state when the model has no versions', async () => {
    await renderWithEntity(<ModelRegistryCard />, {
      entity: modelEntity,
      api: fakeApi({
        getRegisteredModel: async () => ({
          name: 'support-assistant',
          aliases: {},
          versions: [],
          stale: false,
        }),
      }),
    });
    expect(await screen.findByText('No model versions')).toBeInTheDocument();
  });

  it('shows the error when the registered model cannot be read', async () => {
    await renderWithEntity(<ModelRegistryCard />, {
      entity: modelEntity,
      api: fakeApi({
        getRegisteredModel: async () => {
          throw new LlmOpsApiError(404, 'registered model not found');
        },
      }),
    });
    expect(
      (await screen.findAllByText(/registered model not found/)).length,
    ).toBeGreaterThan(0);
  });
});

const RUN_3 = 'a3f1c0de9b8e4c1f';
const RUN_4 = '4b7d2e90aa1c4f33';

/** Versions 3 and 4 of support-assistant, as MLflow lists them. */
function mlflowModel(aliases: Record<string, string>) {
  return {
    name: 'support-assistant',
    aliases,
    versions: [
      { version: '3', status: 'READY', runId: RUN_3, createdAt: 1 },
      { version: '4', status: 'READY', runId: RUN_4, createdAt: 2 },
    ],
    stale: false,
  };
}

function run(id: string, name: string): Run {
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
  spec: Record<string, unknown>,
): Deployment {
  return {
    id: `id-${name}`,
    name,
    environment,
    status: 'ready',
    owner: 'group:nlp',
    backend: 'kserve',
    revision: 1,
    model_ref: 'model:default/support-assistant-llama-3-8b',
    spec,
    createdAt: '2026-11-02T11:05:00Z',
    updatedAt: '2026-11-02T11:05:00Z',
  };
}

/** The registry, its runs (only version 3's run is known), two deployments and MLflow's public URL. */
function reconciledApi(overrides: Partial<LlmOpsApi> = {}) {
  return fakeApi({
    getRegisteredModel: jest.fn(async () => mlflowModel({ champion: '3' })),
    listModelRuns: jest.fn(async () => ({
      items: [run(RUN_3, 'sft-lr-2e-5')],
      stale: false,
    })),
    listDeployments: jest.fn(async () => ({
      items: [
        // pinned to version 3
        deployment('sa-prod', 'prod', { model_version: '3' }),
        // no model_version: serves the Model's source, version 4
        deployment('sa-stg', 'stg', {}),
      ],
    })),
    listToolUis: jest.fn(async () => [
      {
        tool: 'mlflow',
        embeddable: true,
        proxyPath: '/ui/mlflow/',
        publicUrl: 'https://mlflow.example.com',
      },
    ]),
    ...overrides,
  });
}

/** The versions table's row of a version (its first cell holds the number). */
function versionRow(version: string) {
  const row = screen.getAllByRole('row').find(r => {
    const first = within(r).queryAllByRole('cell')[0];
    return first && within(first).queryByText(version, { exact: true });
  });
  if (!row) throw new Error(`no row of version ${version}`);
  return within(row);
}

/** The table's cell of a row under a column header. */
function cellOf(version: string, column: string) {
  const headers = screen.getAllByRole('columnheader').map(h => h.textContent);
  const index = headers.indexOf(column);
  if (index === -1) throw new Error(`no column ${column} in ${headers}`);
  return within(versionRow(version).getAllByRole('cell')[index]);
}

describe('ModelRegistryCard, reconciled with runs, deployments and the catalog', () => {
  it("names each version's run, linked to it in MLflow, with the full id as its title", async () => {
    const api = reconciledApi();
    await renderWithEntity(<ModelRegistryCard />, { entity: modelEntity, api });

    const link = await screen.findByRole('link', { name: /sft-lr-2e-5/ });
    expect(link).toHaveAttribute(
      'href',
      `https://mlflow.example.com/#/experiments/7/runs/${RUN_3}`,
    );
    expect(link).toHaveAttribute('title', RUN_3);
    expect(cellOf('3', 'Run').getByRole('link')).toBe(link);
    // version 4's run is not among the runs read: eight characters of its id
    const unknown = cellOf('4', 'Run').getByText(RUN_4.slice(0, 8));
    expect(unknown).toHaveAttribute('title', RUN_4);
    expect(cellOf('4', 'Run').queryByRole('link')).not.toBeInTheDocument();
    expect(api.listModelRuns).toHaveBeenCalledWith(
      'support-assistant',
      expect.anything(),
    );
  });

  it("shows the run's name without a link when MLflow has no public URL", async () => {
    await renderWithEntity(<ModelRegistryCard />, {
      entity: modelEntity,
      api: reconciledApi({
        listToolUis: async () => [
          { tool: 'mlflow', embeddable: true, proxyPath: '/ui/mlflow/' },
        ],
      }),
    });
    const name = await screen.findByText('sft-lr-2e-5');
    expect(name).toHaveAttribute('title', RUN_3);
    expect(
      screen.queryByRole('link', { name: /sft-lr-2e-5/ }),
    ).not.toBeInTheDocument();
  });

  it('shows where each version serves: by its pinned model_version, else by the catalog source', async () => {
    const api = reconciledApi();
    await renderWithEntity(<ModelRegistryCard />, { entity: modelEntity, api });

    const prod = await screen.findByRole('link', { name: 'prod: sa-prod' });
    expect(cellOf('3', 'Serving').getByRole('link')).toBe(prod);
    expect(prod).toHaveAttribute('href', '/catalog/default/deployment/sa-prod');
    const stg = cellOf('4', 'Serving').getByRole('link');
    expect(stg).toHaveTextContent('stg: sa-stg');
    expect(api.listDeployments).toHaveBeenCalledWith({
      model_ref: 'model:default/support-assistant-llama-3-8b',
    });
  });

  it('links a deployment to its Deployment entity in the catalog', async () => {
    const served: Entity = {
      ...modelEntity,
      relations: [
        { type: 'servedBy', targetRef: 'deployment:serving/sa-prod' },
      ],
    };
    await renderWithEntity(<ModelRegistryCard />, {
      entity: served,
      api: reconciledApi(),
      catalogApi: catalogApiMock({
        entities: [
          {
            apiVersion: 'llmops.dev/v1alpha1',
            kind: 'Deployment',
            metadata: { name: 'sa-prod', namespace: 'serving' },
            spec: {},
          },
        ],
      }),
    });
    await waitFor(() =>
      expect(
        screen.getByRole('link', { name: 'prod: sa-prod' }),
      ).toHaveAttribute('href', '/catalog/serving/deployment/sa-prod'),
    );
  });

  it('shows the aliases of each version in its row and marks the catalog source', async () => {
    await renderWithEntity(<ModelRegistryCard />, {
      entity: modelEntity,
      api: reconciledApi({
        getRegisteredModel: async () =>
          mlflowModel({ champion: '3', baseline: '3', challenger: '4' }),
      }),
    });
    await screen.findByText('champion → 3');

    expect(
      cellOf('3', 'Aliases')
        .getAllByText(/./)
        .map(chip => chip.textContent),
    ).toEqual(['baseline', 'champion']);
    expect(cellOf('4', 'Aliases').getByText('challenger')).toBeInTheDocument();
    // spec.source is mlflow://models/support-assistant/4
    expect(cellOf('4', 'Version').getByText('catalog source')).toBeVisible();
    expect(
      cellOf('3', 'Version').queryByText('catalog source'),
    ).not.toBeInTheDocument();
  });

  it("notes where the catalog's copy of the registry disagrees with MLflow", async () => {
    const synced: Entity = {
      ...modelEntity,
      spec: {
        ...modelEntity.spec,
        registry: {
          currentVersion: '4',
          aliases: { champion: '3' },
          versions: [{ version: '3' }, { version: '4' }],
        },
      },
    };
    await renderWithEntity(<ModelRegistryCard />, {
      entity: synced,
      api: reconciledApi({
        getRegisteredModel: async () => mlflowModel({ champion: '4' }),
      }),
    });

    expect(await screen.findByRole('note')).toHaveTextContent(
      'The catalog (last synced from MLflow) says champion → 3; MLflow says champion → 4. The catalog catches up on its next sync.',
    );
  });

  it('notes nothing when the catalog agrees with MLflow', async () => {
    const synced: Entity = {
      ...modelEntity,
      spec: {
        ...modelEntity.spec,
        registry: {
          aliases: { champion: '3' },
          versions: [{ version: '3' }, { version: '4' }],
        },
      },
    };
    await renderWithEntity(<ModelRegistryCard />, {
      entity: synced,
      api: reconciledApi(),
    });
    await screen.findByRole('link', { name: /sft-lr-2e-5/ });
    expect(screen.queryByRole('note')).not.toBeInTheDocument();
  });

  it("shows the catalog's copy, labelled, joined with runs and deployments when MLflow is down", async () => {
    const synced: Entity = {
      ...modelEntity,
      spec: {
        ...modelEntity.spec,
        registry: {
          aliases: { champion: '3' },
          versions: [
            { version: '3', status: 'READY', runId: RUN_3 },
            { version: '4', status: 'READY', runId: RUN_4 },
          ],
        },
      },
    };
    await renderWithEntity(<ModelRegistryCard />, {
      entity: synced,
      api: reconciledApi({
        getRegisteredModel: async () => ({
          name: 'support-assistant',
          aliases: {},
          versions: [],
          stale: true,
          unavailable: { tool: 'mlflow', reason: 'connect ECONNREFUSED' },
        }),
      }),
    });

    expect(
      await screen.findByText('Versions (from the catalog)'),
    ).toBeInTheDocument();
    // the stale banner's message, folded in its panel
    expect(
      screen.getByText(/Showing the catalog's copy of the registry/),
    ).toBeInTheDocument();
    expect(cellOf('3', 'Aliases').getByText('champion')).toBeInTheDocument();
    expect(cellOf('4', 'Version').getByText('catalog source')).toBeVisible();
    expect(
      await screen.findByRole('link', { name: /sft-lr-2e-5/ }),
    ).toBeInTheDocument();
    // the catalog is not compared with itself
    expect(screen.queryByRole('note')).not.toBeInTheDocument();
  });

  it('keeps the versions when the deployments cannot be read, and says so', async () => {
    await renderWithEntity(<ModelRegistryCard />, {
      entity: modelEntity,
      api: reconciledApi({
        listDeployments: async () => {
          throw new LlmOpsApiError(503, 'database unavailable');
        },
      }),
    });

    expect(await screen.findByRole('note')).toHaveTextContent(
      "The portal's deployments could not be read, so where each version serves is unknown (database unavailable).",
    );
    expect(
      screen.getByRole('link', { name: /sft-lr-2e-5/ }),
    ).toBeInTheDocument();
    expect(cellOf('3', 'Serving').queryByRole('link')).not.toBeInTheDocument();
  });

  it('says the rule of alias names under the field and keeps Promote disabled while it is broken', async () => {
    const api = registryApi();
    await renderWithEntity(<ModelRegistryCard />, { entity: modelEntity, api });
    await screen.findByText('champion → 3');
    const field = screen.getByLabelText('Alias');
    const button = screen.getByRole('button', { name: 'Promote' });

    await userEvent.type(field, 'staging');
    await waitFor(() => expect(button).toBeEnabled());
    expect(field).not.toHaveAttribute('aria-invalid', 'true');

    await userEvent.clear(field);
    await userEvent.type(field, '1st choice');
    const rule = aliasProblem('1st choice')!;
    expect(rule).toMatch(/starts with a letter/);
    expect(screen.getByText(rule)).toBeVisible();
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(field).toHaveAccessibleDescription(rule);
    expect(button).toBeDisabled();

    await userEvent.clear(field);
    await userEvent.type(field, 'staging');
    await waitFor(() => expect(button).toBeEnabled());
    expect(screen.queryByText(rule)).not.toBeInTheDocument();
    expect(api.setModelAlias).not.toHaveBeenCalled();
  });
});
