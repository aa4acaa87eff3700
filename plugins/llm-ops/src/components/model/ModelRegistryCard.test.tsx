import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { LlmOpsApiError, RegisteredModel } from '@llmops/plugin-llm-ops-common';
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

/** A registry whose aliases change when set. */
function registryApi() {
  let aliases: Record<string, string> = { champion: '3', challenger: '4' };
  return fakeApi({
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
    expect(row.getByText('dataset=v2')).toBeInTheDocument();
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
