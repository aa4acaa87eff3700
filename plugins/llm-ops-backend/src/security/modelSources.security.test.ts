/*
 * Catalog trust: any registered location may define a Model, and its
 * `source` is what the serving tool downloads, so only the sources config
 * allows are ever served.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { llmOpsPlugin } from '../plugin';
import { createTestTools } from '../__testUtils__/testAdapters';
import {
  baseModel,
  deploymentSpec,
  fineTuned,
} from '../__testUtils__/fixtures';

jest.setTimeout(60_000);

/** A Model someone registered from their own repository, serving their own weights. */
const planted = {
  ...fineTuned,
  metadata: { name: 'llama-3-8b-planted', namespace: 'default' },
  spec: {
    ...fineTuned.spec,
    source: 'https://evil.example.com/weights.safetensors',
  },
};

async function start(modelSources?: string[]) {
  const tools = createTestTools();
  const { server } = await startTestBackend({
    features: [
      llmOpsPlugin,
      tools.module,
      catalogServiceMock.factory({ entities: [baseModel, fineTuned, planted] }),
      mockServices.rootConfig.factory({
        data: {
          llmOps: {
            ...(modelSources ? { modelSources } : {}),
            queue: { baseDelayMs: 1, maxDelayMs: 5 },
            serving: { deploymentMode: 'Serverless' },
          },
        },
      }),
    ],
  });
  return { server, tools };
}

const deploy = (server: any, modelRef: string) =>
  request(server)
    .post('/api/llm-ops/v1/deployments')
    .send({
      name: 'support',
      environment: 'dev',
      spec: {
        ...deploymentSpec({ old: 0, new: 100 }, 'rolling'),
        model_ref: modelRef,
      },
    });

describe('model sources (security review)', () => {
  it('refuses to serve a Model whose source is not an allowed prefix, naming the model and the rule', async () => {
    const { server, tools } = await start();
    const res = await deploy(server, 'model:default/llama-3-8b-planted');
    expect(res.status).toBe(400);
    expect(res.body.message).toBe(
      "model_ref: model:default/llama-3-8b-planted's source 'https://evil.example.com/weights.safetensors' is not an allowed model source (llmOps.modelSources: hf://, mlflow://models/)",
    );
    expect(tools.serving.applied.size).toBe(0);
    // the registry's own version is served as before
    expect((await deploy(server, 'model:default/llama-3-8b-sft')).status).toBe(
      201,
    );
  });

  it('serves the sources config adds, by scheme and host', async () => {
    const { server } = await start([
      'mlflow://models/',
      'https://evil.example.com/',
    ]);
    expect(
      (await deploy(server, 'model:default/llama-3-8b-planted')).status,
    ).toBe(201);
  });
});
