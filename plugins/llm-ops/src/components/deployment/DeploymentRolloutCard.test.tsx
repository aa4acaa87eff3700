import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { LlmOpsApiError } from '@llmops/plugin-llm-ops-common';
import type { LlmOpsApi } from '../../api/LlmOpsApi';
import { DeploymentRolloutCard } from './DeploymentRolloutCard';
import {
  deploymentEntity,
  deploymentRecord,
  renderForEntity,
  servingStatus,
} from './__testUtils__/fixtures';
import type { TrafficSplit } from './trafficSplit';

const canary: TrafficSplit = { old: 90, new: 10 };
const promoted: TrafficSplit = { old: 0, new: 100 };

/**
 * A serving tool that applies a promote after `queuedPolls` status reads;
 * until then the record is queued, waiting for kserve.
 */
function fakeServing(options: { queuedPolls: number; id?: string }) {
  let split = canary;
  let queuedReads = -1;
  const queued = () => queuedReads >= 0 && queuedReads < options.queuedPolls;
  const api: Partial<LlmOpsApi> = {
    listDeployments: jest.fn(async () => {
      const status = queued() ? 'queued' : 'ready';
      const lastError = queued() ? 'kserve: connection refused' : undefined;
      return {
        items: [
          deploymentRecord(queuedReads >= 0 ? promoted : split, {
            id: options.id ?? 'dep-1',
            status,
            lastError,
          }),
        ],
      };
    }),
    getDeploymentStatus: jest.fn(async () => {
      if (queued()) {
        queuedReads += 1;
        return servingStatus(split);
      }
      if (queuedReads >= 0) split = promoted;
      return servingStatus(split);
    }),
    promoteDeployment: jest.fn(async (id: string) => {
      queuedReads = 0;
      return deploymentRecord(promoted, { id, status: 'queued' });
    }),
    rollbackDeployment: jest.fn(),
  };
  return api;
}

const button = (name: string) => screen.getByRole('button', { name });

/** Clicks `name` in the confirmation dialog, and gives what it said. */
async function confirm(name: string) {
  const dialog = await screen.findByRole('dialog');
  const said = dialog.textContent;
  await userEvent.click(within(dialog).getByRole('button', { name }));
  await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  return said;
}

describe('DeploymentRolloutCard', () => {
  it('promotes, waits for the serving tool and shows the new split', async () => {
    const api = fakeServing({ queuedPolls: 2 });
    await renderForEntity(<DeploymentRolloutCard pollIntervalMs={20} />, api);

    const split = await screen.findByTestId('llmops-traffic-split');
    expect(split).toHaveTextContent('old 90% / new 10%');
    await waitFor(() => expect(button('Promote')).toBeEnabled());
    expect(button('Rollback')).toBeEnabled();

    await userEvent.click(button('Promote'));
    // nothing happens until the user confirms, in a dialog naming what changes
    expect(api.promoteDeployment).not.toHaveBeenCalled();
    expect(await confirm('Promote')).toMatch(
      /Promote .* in prod\?.*Now: old 90% \/ new 10%; then: old 0% \/ new 100%/,
    );

    expect(api.promoteDeployment).toHaveBeenCalledWith('dep-1');
    expect(
      await screen.findByText(/Promoted: old 0% \/ new 100%/),
    ).toBeInTheDocument();
    expect(screen.getByTestId('llmops-traffic-split')).toHaveTextContent(
      'old 0% / new 100%',
    );
    expect(api.listDeployments).toHaveBeenCalledWith({
      name: 'support-assistant-prod',
    });
    expect(button('Promote')).toBeDisabled();
    expect(button('Rollback')).toBeEnabled();
  });

  it('says when the change is queued, waiting for the serving tool, and when it times out', async () => {
    const api = fakeServing({ queuedPolls: 1000 });
    await renderForEntity(
      <DeploymentRolloutCard pollIntervalMs={20} pollTimeoutMs={600} />,
      api,
    );
    await waitFor(() => expect(button('Promote')).toBeEnabled());

    await userEvent.click(button('Promote'));
    await confirm('Promote');

    expect(
      await screen.findByText(
        /Queued: waiting for the serving tool \(kserve\)/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/waiting for kserve: connection refused/).length,
    ).toBeGreaterThan(0);
    expect(button('Promote')).toBeDisabled();
    expect(button('Rollback')).toBeDisabled();
    expect(
      await screen.findByText(/has not reported the new split yet/, undefined, {
        timeout: 3000,
      }),
    ).toBeInTheDocument();
    expect(screen.getByTestId('llmops-traffic-split')).toHaveTextContent(
      'old 90% / new 10%',
    );
  });

  it('disables both buttons without permission', async () => {
    const api = fakeServing({ queuedPolls: 0, id: 'dep-denied' });
    await renderForEntity(<DeploymentRolloutCard />, api, { allow: false });

    expect(await screen.findByTestId('llmops-traffic-split')).toHaveTextContent(
      'old 90% / new 10%',
    );
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Promote' })).toBeDisabled(),
    );
    expect(button('Rollback')).toBeDisabled();
  });

  it('disables Promote when the new revision already has all the traffic', async () => {
    const api: Partial<LlmOpsApi> = {
      listDeployments: async () => ({ items: [deploymentRecord(promoted)] }),
      getDeploymentStatus: async () => servingStatus(promoted),
    };
    await renderForEntity(<DeploymentRolloutCard />, api);

    expect(await screen.findByTestId('llmops-traffic-split')).toHaveTextContent(
      'old 0% / new 100%',
    );
    await waitFor(() => expect(button('Rollback')).toBeEnabled());
    expect(button('Promote')).toBeDisabled();
  });

  it('changes nothing when the user goes back from the confirmation', async () => {
    const api = fakeServing({ queuedPolls: 0 });
    await renderForEntity(<DeploymentRolloutCard pollIntervalMs={20} />, api);
    await waitFor(() => expect(button('Promote')).toBeEnabled());
    await userEvent.click(button('Promote'));
    await confirm('Go back');
    expect(api.promoteDeployment).not.toHaveBeenCalled();
    expect(screen.getByTestId('llmops-traffic-split')).toHaveTextContent(
      'old 90% / new 10%',
    );
  });

  it('shows why a rollback was refused', async () => {
    const api: Partial<LlmOpsApi> = {
      listDeployments: async () => ({ items: [deploymentRecord(canary)] }),
      getDeploymentStatus: async () => servingStatus(canary),
      rollbackDeployment: async () => {
        throw new LlmOpsApiError(
          403,
          'Not allowed: llmops.deployment.rollback in environment prod',
        );
      },
    };
    await renderForEntity(<DeploymentRolloutCard />, api);
    await waitFor(() => expect(button('Rollback')).toBeEnabled());

    await userEvent.click(button('Rollback'));
    await confirm('Roll back');

    expect(
      await screen.findByText(/Rolling back failed: Not allowed/),
    ).toBeInTheDocument();
    expect(button('Rollback')).toBeEnabled();
  });

  it("falls back to the catalog's split, read-only, without a portal record", async () => {
    const api: Partial<LlmOpsApi> = {
      listDeployments: async () => ({ items: [] }),
      getDeploymentStatus: jest.fn(),
    };
    await renderForEntity(<DeploymentRolloutCard />, api);

    expect(await screen.findByTestId('llmops-traffic-split')).toHaveTextContent(
      'old 90% / new 10%',
    );
    expect(
      screen.getByText(/Not deployed through the portal/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Promote' }),
    ).not.toBeInTheDocument();
    expect(api.getDeploymentStatus).not.toHaveBeenCalled();
  });

  it('shows an empty state without a record or a split in the catalog', async () => {
    const { rollout: _none, ...spec } = deploymentEntity.spec;
    await renderForEntity(
      <DeploymentRolloutCard />,
      { listDeployments: async () => ({ items: [] }) },
      { entity: { ...deploymentEntity, spec } },
    );
    expect(await screen.findByText('No rollout')).toBeInTheDocument();
  });

  it('warns when the live status is stale', async () => {
    const api: Partial<LlmOpsApi> = {
      listDeployments: async () => ({ items: [deploymentRecord(canary)] }),
      getDeploymentStatus: async () =>
        servingStatus(canary, {
          stale: true,
          fetchedAt: '2026-11-27T09:00:00.000Z',
          unavailable: { tool: 'kserve', reason: 'connection refused' },
        }),
    };
    await renderForEntity(<DeploymentRolloutCard />, api);
    expect(await screen.findByText(/Can't reach KServe/)).toBeInTheDocument();
    expect(screen.getByTestId('llmops-traffic-split')).toHaveTextContent(
      'old 90% / new 10%',
    );
  });

  it('shows the error when the deployments cannot be listed', async () => {
    await renderForEntity(<DeploymentRolloutCard />, {
      listDeployments: async () => {
        throw new Error('backend down');
      },
    });
    expect((await screen.findAllByText(/backend down/)).length).toBeGreaterThan(
      0,
    );
    expect(
      screen.queryByTestId('llmops-traffic-split'),
    ).not.toBeInTheDocument();
  });
});
