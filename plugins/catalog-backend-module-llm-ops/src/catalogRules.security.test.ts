/*
 * Catalog trust (security review): the weights a deployment serves come
 * from a Model entity's `source`, so the LLM Ops kinds must not come from
 * any location a user registers. With the catalog rules of the repository's
 * own app-config.yaml, in a started catalog: the configured example
 * locations and the entity providers define them, a registered URL does not.
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import catalogPlugin, {
  CATALOG_ERRORS_TOPIC,
} from '@backstage/plugin-catalog-backend';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  catalogProcessingExtensionPoint,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parse } from 'yaml';
import { catalogModuleLlmOpsEntityModel } from './module';

jest.setTimeout(120_000);

const repoRoot = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'backstage.json')))
    dir = path.dirname(dir);
  return dir;
})();

/** `catalog.rules` and `catalog.locations` of app-config.yaml, file targets made absolute. */
function shippedCatalogConfig() {
  const { catalog } = parse(
    fs.readFileSync(path.join(repoRoot, 'app-config.yaml'), 'utf8'),
  );
  // File locations are relative to the backend process (packages/backend).
  const backendDir = path.join(repoRoot, 'packages', 'backend');
  return {
    rules: catalog.rules,
    locations: catalog.locations.map((l: { type: string; target: string }) =>
      l.type === 'file'
        ? { ...l, target: path.resolve(backendDir, l.target) }
        : l,
    ),
  };
}

// A lookalike of the example base model, whose weights are the attacker's.
const rogueDocuments = `
apiVersion: llmops.dev/v1alpha1
kind: Model
metadata:
  name: llama-3-8b-instruct
spec:
  type: base
  family: llama
  owner: group:ml-platform
  lifecycle: production
  maxPositionEmbeddings: 8192
  source: hf://attacker/backdoored-weights
  serving: { minGpus: 1, minGpuMemoryGb: 24 }
`;

/** Serves one YAML file, as a repository a user registers would. */
async function serveYaml(body: string) {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/yaml' });
    res.end(body);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { host: `127.0.0.1:${port}`, close: () => server.close() };
}

/** A provider that emits one Model, as the LLM Ops providers do. */
const providerModule = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'test-model-provider',
  register(env) {
    env.registerInit({
      deps: { catalog: catalogProcessingExtensionPoint },
      async init({ catalog }) {
        catalog.addEntityProvider({
          getProviderName: () => 'test-model-provider',
          async connect(connection: EntityProviderConnection) {
            await connection.applyMutation({
              type: 'full',
              entities: [
                {
                  locationKey: 'test-model-provider',
                  entity: {
                    apiVersion: 'llmops.dev/v1alpha1',
                    kind: 'Model',
                    metadata: {
                      name: 'from-provider',
                      annotations: {
                        'backstage.io/managed-by-location':
                          'url:https://mlflow.test/',
                        'backstage.io/managed-by-origin-location':
                          'url:https://mlflow.test/',
                      },
                    },
                    spec: {
                      type: 'base',
                      family: 'llama',
                      owner: 'group:ml-platform',
                      lifecycle: 'production',
                      maxPositionEmbeddings: 8192,
                      source: 'mlflow://models/from-provider/1',
                      serving: { minGpus: 1, minGpuMemoryGb: 24 },
                    },
                  },
                },
              ],
            });
          },
        });
      },
    });
  },
});

/** What the catalog publishes of processing errors, as an operator's alerting reads them. */
function catalogErrors() {
  const seen: Array<{ entity: string; errors: Array<{ message: string }> }> =
    [];
  const module = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'test-error-collector',
    register(env) {
      env.registerInit({
        deps: { events: eventsServiceRef },
        async init({ events }) {
          await events.subscribe({
            id: 'test-error-collector',
            topics: [CATALOG_ERRORS_TOPIC],
            async onEvent(event) {
              seen.push(event.eventPayload as (typeof seen)[number]);
            },
          });
        },
      });
    },
  });
  return { seen, module };
}

async function waitFor<T>(
  check: () => Promise<T | undefined>,
  what: string,
  context: () => string = () => '',
) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${context()}`);
    await new Promise(r => setTimeout(r, 250));
  }
}

describe('catalog rules for the LLM Ops kinds (security review)', () => {
  it('takes Models from the configured locations and the providers, never from a registered URL', async () => {
    const rogue = await serveYaml(rogueDocuments);
    const errors = catalogErrors();
    // a timeout says what the catalog refused
    const refusals = () =>
      errors.seen
        .flatMap(e => e.errors.map(x => `\n${e.entity}: ${x.message}`))
        .join('');
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleLlmOpsEntityModel,
        providerModule,
        errors.module,
        mockServices.rootConfig.factory({
          data: {
            backend: {
              baseUrl: 'http://localhost:7007',
              database: { client: 'better-sqlite3', connection: ':memory:' },
              reading: { allow: [{ host: rogue.host }] },
            },
            catalog: {
              ...shippedCatalogConfig(),
              processingInterval: { seconds: 1 },
            },
          },
        }),
      ],
    });
    try {
      const { port } = backend.server.address() as AddressInfo;
      const api = `http://localhost:${port}/api/catalog`;
      const headers = {
        authorization: mockCredentials.user.header(),
        'content-type': 'application/json',
      };
      const entity = async (ref: string) => {
        const res = await fetch(`${api}/entities/by-name/${ref}`, { headers });
        return res.ok ? ((await res.json()) as Entity) : undefined;
      };

      const target = `http://${rogue.host}/catalog-info.yaml`;
      const registered = await fetch(`${api}/locations`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ type: 'url', target }),
      });
      expect(registered.status).toBe(201);

      // The location is read and its Model refused, with the reason.
      const refused = await waitFor(
        async () => errors.seen.find(e => e.entity.startsWith('location:')),
        'the registered location to be processed',
      );
      expect(refused.errors.map(e => e.message)).toEqual([
        `Entity model:default/llama-3-8b-instruct at url:${target}, originated at url:${target}, is not of an allowed kind for that location`,
      ]);
      expect(await entity('model/default/llama-3-8b-instruct')).toBeUndefined();

      // The example catalog's Models and the provider's Model are there.
      expect(
        await waitFor(
          () => entity('model/default/llama-3-8b'),
          'an example Model',
        ),
      ).toMatchObject({ spec: { source: expect.stringMatching(/^hf:\/\//) } });
      expect(
        await waitFor(
          () => entity('model/default/from-provider'),
          'the provider Model',
          refusals,
        ),
      ).toMatchObject({ spec: { source: 'mlflow://models/from-provider/1' } });
      expect(
        await waitFor(
          () => entity('dataset/default/support-tickets-sft'),
          'an example Dataset',
        ),
      ).toBeDefined();
    } finally {
      await backend.stop();
      rogue.close();
    }
  });
});
