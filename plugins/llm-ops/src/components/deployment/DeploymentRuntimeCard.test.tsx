import { screen } from '@testing-library/react';
import { DeploymentRuntimeCard } from './DeploymentRuntimeCard';
import {
  deploymentEntity,
  deploymentRecord,
  renderForEntity,
  servingStatus,
} from './__testUtils__/fixtures';

const split = { old: 90, new: 10 };

describe('DeploymentRuntimeCard', () => {
  it('shows the live endpoint, where it runs and its runtime limits', async () => {
    await renderForEntity(<DeploymentRuntimeCard />, {
      listDeployments: async () => ({ items: [deploymentRecord(split)] }),
      getDeploymentStatus: async () => servingStatus(split),
    });

    const endpoint = await screen.findByTestId('llmops-endpoint');
    expect(endpoint).toHaveAttribute(
      'href',
      'https://support-assistant.live.example.com',
    );
    expect(screen.getByText(/\(live\)/)).toBeInTheDocument();
    expect(screen.getByText('kserve')).toBeInTheDocument();
    expect(screen.getByText('prod-cluster')).toBeInTheDocument();
    expect(screen.getByText('llm-prod')).toBeInTheDocument();
    expect(screen.getByText('prod')).toBeInTheDocument();
    expect(screen.getByText('32')).toBeInTheDocument();
    expect(screen.getByText('6144')).toBeInTheDocument();
    expect(screen.getByText('1024')).toBeInTheDocument();
  });

  it("shows the catalog's endpoint without a portal record, and unset limits", async () => {
    const { runtime: _none, ...spec } = deploymentEntity.spec;
    await renderForEntity(
      <DeploymentRuntimeCard />,
      { listDeployments: async () => ({ items: [] }) },
      { entity: { ...deploymentEntity, spec } },
    );

    const endpoint = await screen.findByTestId('llmops-endpoint');
    expect(endpoint).toHaveAttribute(
      'href',
      'https://support-assistant.llm.example.com',
    );
    expect(screen.queryByText(/\(live\)/)).not.toBeInTheDocument();
    expect(screen.getAllByText('not set')).toHaveLength(3);
  });

  it('still shows the catalog data when the portal cannot be read', async () => {
    await renderForEntity(<DeploymentRuntimeCard />, {
      listDeployments: async () => {
        throw new Error('backend down');
      },
    });
    expect((await screen.findAllByText(/backend down/)).length).toBeGreaterThan(
      0,
    );
    expect(screen.getByTestId('llmops-endpoint')).toHaveAttribute(
      'href',
      'https://support-assistant.llm.example.com',
    );
  });
});
