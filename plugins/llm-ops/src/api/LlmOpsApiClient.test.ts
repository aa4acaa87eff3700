import { LlmOpsApiError } from '@llmops/plugin-llm-ops-common';
import { LlmOpsApiClient } from './LlmOpsApiClient';

const baseUrl = 'http://portal/api/llm-ops';

/** A fetchApi that answers each request with the next reply. */
function fetchReplying(...replies: Array<{ status: number; body: unknown }>) {
  return {
    fetch: jest.fn(async (_input: RequestInfo | URL, _init?: RequestInit) => {
      const reply = replies.shift()!;
      return new Response(JSON.stringify(reply.body), {
        status: reply.status,
        headers: { 'Content-Type': 'application/json' },
      });
    }),
  };
}

function client(fetchApi: ReturnType<typeof fetchReplying>) {
  return new LlmOpsApiClient({
    discoveryApi: { getBaseUrl: async () => baseUrl },
    fetchApi,
  });
}

const success = (data: unknown) => ({
  status: 200,
  body: { status: 'success', message: 'ok', data },
});

describe('LlmOpsApiClient', () => {
  it('lists training jobs with the filters that are set, and returns the data', async () => {
    const fetchApi = fetchReplying(success({ items: [], nextCursor: 'c2' }));
    const page = await client(fetchApi).listTrainingJobs({
      status: 'failed',
      owner: '',
      model_family: undefined,
    });
    expect(page).toEqual({ items: [], nextCursor: 'c2' });
    expect(String(fetchApi.fetch.mock.calls[0][0])).toBe(
      `${baseUrl}/v1/training-jobs?status=failed`,
    );
  });

  it("reads a dataset's versions with its entity's namespace", async () => {
    const fetchApi = fetchReplying(success({ items: [], stale: false }));
    await client(fetchApi).listDatasetVersions('support-tickets', 'team-a');
    expect(String(fetchApi.fetch.mock.calls[0][0])).toBe(
      `${baseUrl}/v1/datasets/support-tickets/versions?namespace=team-a`,
    );
  });

  it('promotes and rolls back a deployment, returning the deployment', async () => {
    const deployment = { id: 'dep-1', status: 'queued' };
    const fetchApi = fetchReplying(success(deployment), success(deployment));
    await expect(client(fetchApi).promoteDeployment('dep-1')).resolves.toEqual(
      deployment,
    );
    await client(fetchApi).rollbackDeployment('dep-1');
    expect(
      fetchApi.fetch.mock.calls.map(([url, init]) => [
        init?.method,
        String(url),
      ]),
    ).toEqual([
      ['POST', `${baseUrl}/v1/deployments/dep-1/promote`],
      ['POST', `${baseUrl}/v1/deployments/dep-1/rollback`],
    ]);
  });

  it("throws the API's error with its status and data", async () => {
    const errors = [{ path: 'lr', rule: 'schema', message: 'lr must be > 0' }];
    const fetchApi = fetchReplying({
      status: 400,
      body: {
        status: 'error',
        message: 'The spec is invalid',
        data: { errors },
      },
    });
    const failure = client(fetchApi).validateTrainingJob({});
    await expect(failure).rejects.toBeInstanceOf(LlmOpsApiError);
    await expect(failure).rejects.toMatchObject({
      name: 'InputError',
      status: 400,
      message: 'The spec is invalid',
      data: { errors },
    });
  });

  it("asks the backend where the user opens a tool UI's page", async () => {
    const url = 'https://tools.example.com/api/llm-ops/ui-origin/session?x=1';
    const fetchApi = fetchReplying(success({ url }));
    await expect(
      client(fetchApi).getToolUiUrl('mlflow', '#/experiments/1'),
    ).resolves.toBe(url);
    const [input, init] = fetchApi.fetch.mock.calls[0];
    expect(String(input)).toBe(`${baseUrl}/v1/ui/mlflow/session`);
    expect(init?.method).toBe('POST');
    expect(JSON.parse(String(init?.body))).toEqual({ path: '#/experiments/1' });
  });
});
