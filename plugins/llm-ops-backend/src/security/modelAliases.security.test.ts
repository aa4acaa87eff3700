/*
 * Who moves an alias: `llmops.model.alias.update` is a resource permission
 * on the alias, so a policy can say "only release managers move champion"
 * (IS_ALIAS) and "only the model's owners move its other aliases"
 * (IS_OWNER, the owner of the Model entity that names the registered model).
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  isPermission,
} from '@backstage/plugin-permission-common';
import {
  ANNOTATION_MLFLOW_MODEL,
  modelAliasUpdatePermission,
} from '@llmops/plugin-llm-ops-common';
import request from 'supertest';
import { llmOpsPlugin } from '../plugin';
import {
  createModelAliasConditionalDecision,
  loadModelAliasResources,
  modelAliasConditions,
  modelAliasRules,
} from '../service/modelAliasPermissions';
import { policyPermissions } from '../__testUtils__/policyPermissions';
import { createTestTools } from '../__testUtils__/testAdapters';

jest.setTimeout(60_000);

const OWNER = 'user:default/alice';
const OTHER = 'user:default/bob';
const RELEASE_MANAGER = 'user:default/rm';

const modelEntity = (name: string, registered: string, owner: string) => ({
  apiVersion: 'llmops.dev/v1alpha1',
  kind: 'Model',
  metadata: {
    name,
    namespace: 'default',
    annotations: { [ANNOTATION_MLFLOW_MODEL]: registered },
  },
  spec: { type: 'fine-tuned', owner },
});

async function start() {
  const tools = createTestTools();
  tools.tracker.models.set('support-assistant', {
    name: 'support-assistant',
    aliases: { champion: '1' },
    versions: ['1', '2'].map(version => ({ version, status: 'READY' })),
  });
  tools.tracker.models.set('twice-claimed', {
    name: 'twice-claimed',
    aliases: {},
    versions: [{ version: '1', status: 'READY' }],
  });
  const catalog = catalogServiceMock({
    entities: [
      modelEntity('support-assistant', 'support-assistant', OWNER),
      // two entities naming one registered model: neither owner counts
      modelEntity('claim-a', 'twice-claimed', OWNER),
      modelEntity('claim-b', 'twice-claimed', OTHER),
    ],
  });
  const auth = mockServices.auth();
  const backend = await startTestBackend({
    features: [
      llmOpsPlugin,
      tools.module,
      catalogServiceMock.factory({ entities: [] }),
      // The policy as a team would write it, applied through the plugin's
      // own rules to the resource its own loader reads from the catalog.
      policyPermissions({
        rules: modelAliasRules,
        load: async ref =>
          (
            await loadModelAliasResources({ catalog, auth }, [ref])
          )[0],
        decide: (permission, who) => {
          if (!isPermission(permission, modelAliasUpdatePermission)) {
            return { result: AuthorizeResult.ALLOW };
          }
          if (who === RELEASE_MANAGER) return { result: AuthorizeResult.ALLOW };
          return createModelAliasConditionalDecision(permission, {
            allOf: [
              { not: modelAliasConditions.isAlias({ aliases: ['champion'] }) },
              modelAliasConditions.isOwner({ claims: [who ?? ''] }),
            ],
          });
        },
      }),
    ],
  });
  return { server: backend.server, tools };
}

const move = (
  server: any,
  who: string,
  model: string,
  alias: string,
  version: string,
) =>
  request(server)
    .put(`/api/llm-ops/v1/models/${model}/aliases/${alias}`)
    .set('authorization', who)
    .send({ version });

describe('model aliases (security review)', () => {
  it('lets only release managers move champion, even for the model owner', async () => {
    const { server, tools } = await start();
    const owner = await move(
      server,
      mockCredentials.user.header(OWNER),
      'support-assistant',
      'champion',
      '2',
    );
    expect(owner.status).toBe(403);
    expect(owner.body.message).toBe(
      'Not allowed: llmops.model.alias.update on alias champion of support-assistant',
    );
    expect(
      tools.tracker.models.get('support-assistant')!.aliases.champion,
    ).toBe('1');

    const rm = await move(
      server,
      mockCredentials.user.header(RELEASE_MANAGER),
      'support-assistant',
      'champion',
      '2',
    );
    expect(rm.status).toBe(200);
    expect(
      tools.tracker.models.get('support-assistant')!.aliases.champion,
    ).toBe('2');
  });

  it("lets the model's owner, and no one else, move its other aliases", async () => {
    const { server, tools } = await start();
    const other = await move(
      server,
      mockCredentials.user.header(OTHER),
      'support-assistant',
      'staging',
      '2',
    );
    expect(other.status).toBe(403);
    expect(
      tools.tracker.models.get('support-assistant')!.aliases.staging,
    ).toBeUndefined();

    const owner = await move(
      server,
      mockCredentials.user.header(OWNER),
      'support-assistant',
      'staging',
      '2',
    );
    expect(owner.status).toBe(200);
    expect(tools.tracker.models.get('support-assistant')!.aliases.staging).toBe(
      '2',
    );
  });

  it('grants no owner when two Model entities claim one registered model', async () => {
    const { server, tools } = await start();
    const res = await move(
      server,
      mockCredentials.user.header(OWNER),
      'twice-claimed',
      'staging',
      '1',
    );
    expect(res.status).toBe(403);
    expect(tools.tracker.models.get('twice-claimed')!.aliases).toEqual({});
  });

  it('refuses a service principal, which the permission framework would allow', async () => {
    const { server, tools } = await start();
    const res = await move(
      server,
      mockCredentials.service.header(),
      'support-assistant',
      'champion',
      '2',
    );
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(
      /^Service .* may not change LLM Ops state/,
    );
    expect(
      tools.tracker.models.get('support-assistant')!.aliases.champion,
    ).toBe('1');
  });
});
