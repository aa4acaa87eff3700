import { screen } from '@testing-library/react';
import { DeploymentConditionsCard } from './DeploymentConditionsCard';
import {
  deploymentEntity,
  deploymentRecord,
  renderForEntity,
  servingStatus,
} from './__testUtils__/fixtures';

const split = { old: 90, new: 10 };

describe('DeploymentConditionsCard', () => {
  it('shows the live conditions and readiness', async () => {
    await renderForEntity(<DeploymentConditionsCard />, {
      listDeployments: async () => ({ items: [deploymentRecord(split)] }),
      getDeploymentStatus: async () =>
        servingStatus(split, {
          ready: false,
          conditions: [
            {
              type: 'Ready',
              status: 'False',
              reason: 'RevisionMissing',
              message: 'revision 4 failed',
            },
          ],
        }),
    });

    expect(await screen.findByText('Not ready')).toBeInTheDocument();
    expect(screen.getByText('Live from the serving tool')).toBeInTheDocument();
    expect(screen.getByText('RevisionMissing')).toBeInTheDocument();
    expect(screen.getByText('revision 4 failed')).toBeInTheDocument();
    expect(screen.queryByText('PredictorReady')).not.toBeInTheDocument();
  });

  it("falls back to the catalog's conditions without a portal record", async () => {
    await renderForEntity(<DeploymentConditionsCard />, {
      listDeployments: async () => ({ items: [] }),
    });

    expect(
      await screen.findByText('Ready', { selector: '.MuiChip-label' }),
    ).toBeInTheDocument();
    expect(screen.getByText('From the catalog')).toBeInTheDocument();
    expect(screen.getByText('PredictorReady')).toBeInTheDocument();
    expect(
      screen.getAllByText(new Date('2026-11-25T14:03:00Z').toLocaleString()),
    ).toHaveLength(2);
  });

  it('says when no condition is reported', async () => {
    const { status: _none, ...spec } = deploymentEntity.spec;
    await renderForEntity(
      <DeploymentConditionsCard />,
      { listDeployments: async () => ({ items: [] }) },
      { entity: { ...deploymentEntity, spec } },
    );
    expect(
      await screen.findByText('No conditions reported.'),
    ).toBeInTheDocument();
    expect(screen.getByText('Readiness unknown')).toBeInTheDocument();
  });

  it('shows the error when the portal cannot be read', async () => {
    await renderForEntity(<DeploymentConditionsCard />, {
      listDeployments: async () => {
        throw new Error('backend down');
      },
    });
    expect((await screen.findAllByText(/backend down/)).length).toBeGreaterThan(
      0,
    );
  });
});
