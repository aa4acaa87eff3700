import { screen, within } from '@testing-library/react';
import type { HistoryEntry } from '@llmops/plugin-llm-ops-common';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { llmOpsApiRef } from '../../api/LlmOpsApi';
import { oldServedOf, revisionsOf, RevisionHistory } from './RevisionHistory';
import { deploymentRecord } from './__testUtils__/fixtures';

const v1 = 'model:default/support-assistant-v1';
const v2 = 'model:default/support-assistant-llama-3-8b';
const history: HistoryEntry[] = [
  {
    status: 'queued',
    reason: 'accepted',
    at: '2026-11-20T09:00:00.000Z',
    actor: 'user:default/ada',
    revision: 1,
    model_ref: v1,
  },
  { status: 'ready', reason: 'Ready', at: '2026-11-20T09:05:00.000Z' },
  {
    status: 'queued',
    reason: 'revision 2',
    at: '2026-11-25T14:00:00.000Z',
    actor: 'user:default/lin',
    revision: 2,
    model_ref: v2,
  },
  {
    status: 'queued',
    reason: 'promote to 0/100',
    at: '2026-11-25T14:03:00.000Z',
    actor: 'service:ci-bot',
    revision: 3,
    model_ref: v2,
  },
];

describe('oldServedOf', () => {
  it('finds the model the old revision serves', () => {
    const revisions = revisionsOf(history);
    expect(revisions.map(r => r.revision)).toEqual([1, 2, 3]);
    expect(oldServedOf(revisions, { model_ref: v2 })).toEqual({
      model_ref: v1,
    });
    // every revision serves one model: the old revision serves it too
    expect(oldServedOf(revisions.slice(1), { model_ref: v2 })).toEqual({
      model_ref: v2,
    });
    // only the first revision: nothing older is recorded
    expect(
      oldServedOf(revisions.slice(0, 1), { model_ref: v1 }),
    ).toBeUndefined();
  });

  it('tells two registry versions of one model apart', () => {
    const pinned = revisionsOf([
      { ...history[0], model_ref: v2, model_version: '3' },
      { ...history[2], model_ref: v2, model_version: '4' },
      { ...history[3], model_ref: v2, model_version: '4' },
    ]);
    expect(oldServedOf(pinned, { model_ref: v2, model_version: '4' })).toEqual({
      model_ref: v2,
      model_version: '3',
    });
  });
});

describe('RevisionHistory', () => {
  it('names the old and new models, and who made each revision and when', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            llmOpsApiRef,
            {
              getDeployment: async () => ({
                ...deploymentRecord({ old: 0, new: 100 }),
                history,
                deliveries: [],
                links: [],
              }),
            },
          ],
        ]}
      >
        <RevisionHistory record={deploymentRecord({ old: 0, new: 100 })} />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    const table = await screen.findByRole('table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(
      rows.map(r => within(r).getAllByRole('cell')[0].textContent),
    ).toEqual(['3', '2', '1']);
    expect(rows[0]).toHaveTextContent('promote to 0/100');
    expect(within(rows[0]).getByText('service:ci-bot')).toBeInTheDocument();
    expect(
      within(rows[1]).getByRole('link', { name: 'lin' }),
    ).toBeInTheDocument();
    expect(rows[1]).toHaveTextContent(
      new Date('2026-11-25T14:00:00.000Z').toLocaleString(),
    );
    expect(screen.getByText(/New revision \(3\)/)).toHaveTextContent(
      'support-assistant-llama-3-8b',
    );
    expect(screen.getByText(/Old revision/)).toHaveTextContent(
      'support-assistant-v1',
    );
  });

  it('names old and new as registry versions when the specs pin them', async () => {
    const pinned: HistoryEntry[] = [
      { ...history[0], model_ref: v2, model_version: '3' },
      { ...history[2], model_ref: v2, model_version: '4' },
      { ...history[3], model_ref: v2, model_version: '4' },
    ];
    const record = deploymentRecord(
      { old: 0, new: 100 },
      {
        spec: {
          model_version: '4',
          rollout: { strategy: 'canary', traffic_split: { old: 0, new: 100 } },
        },
      },
    );
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            llmOpsApiRef,
            {
              getDeployment: async () => ({
                ...record,
                history: pinned,
                deliveries: [],
                links: [],
              }),
            },
          ],
        ]}
      >
        <RevisionHistory record={record} />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(await screen.findByText(/New revision \(3\)/)).toHaveTextContent(
      'support-assistant-llama-3-8b version 4',
    );
    expect(screen.getByText(/Old revision/)).toHaveTextContent(
      'support-assistant-llama-3-8b version 3',
    );
  });
});
