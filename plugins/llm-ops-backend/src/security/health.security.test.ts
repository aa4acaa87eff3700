import type { IntegrationHealth } from '@llmops/plugin-llm-ops-common';
import type { CatalogSyncStatusService } from '@llmops/plugin-llm-ops-node';
import type { ApiContext } from '../service/context';
import { Health } from '../service/Health';

const report: IntegrationHealth[] = [
  {
    tool: 'mlflow',
    category: 'experiment-tracking',
    configured: true,
    enabled: true,
    reachable: true,
    latencyMs: 3,
    checkedAt: '2026-12-01T00:00:00.000Z',
    circuit: 'closed',
  },
  {
    tool: 'argo',
    category: 'orchestration',
    configured: true,
    enabled: true,
    reachable: false,
    lastError: 'connect ECONNREFUSED argo.internal:2746',
    checkedAt: '2026-12-01T00:00:00.000Z',
    circuit: 'closed',
  },
];

const catalogSync = {
  register: () => {},
  list: () => [
    {
      provider: 'mlflow-models',
      healthy: true,
      entityCount: 4,
      failures: [{ partition: 'p', error: 'secret detail' }],
      skipped: [],
    },
  ],
} as unknown as CatalogSyncStatusService;

describe('Health security', () => {
  it('finding 8: public /health comes from one cached tool round (at most every 30 s, shared by concurrent callers) and tells anonymous callers only the aggregate state', async () => {
    let rounds = 0;
    const tools = {
      health: async () => {
        rounds++;
        await new Promise(resolve => setTimeout(resolve, 10));
        return report;
      },
    };
    let now = 1_000_000;
    const health = new Health({ tools } as unknown as ApiContext, catalogSync, {
      now: () => now,
    });

    // concurrent callers share one round
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => health.health({ detailed: true })),
    );
    expect(rounds).toBe(1);
    expect(answers[0].data.integrations).toHaveLength(2);

    // anonymous: the aggregate state alone, no tool names nor errors
    const anonymous = await health.health({ detailed: false });
    expect(rounds).toBe(1);
    expect(anonymous).toEqual({
      message: 'LLM Ops is degraded',
      data: { state: 'degraded', integrations: [], catalogProviders: [] },
    });
    // signed in: each tool and provider, still without error text
    const detailed = await health.health({ detailed: true });
    expect(detailed.data.state).toBe('degraded');
    expect(detailed.data.integrations.map(i => i.tool)).toEqual([
      'mlflow',
      'argo',
    ]);
    expect(detailed.data.catalogProviders[0]).toMatchObject({
      provider: 'mlflow-models',
      failedParts: 1,
    });
    expect(JSON.stringify(detailed)).not.toMatch(/ECONNREFUSED|secret/);

    now += 29_000;
    await health.health({ detailed: false });
    expect(rounds).toBe(1);
    now += 2_000;
    await Promise.all([
      health.health({ detailed: false }),
      health.health({ detailed: true }),
    ]);
    expect(rounds).toBe(2);
  });
});
