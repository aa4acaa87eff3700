import {
  coreServices,
  createBackendPlugin,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  llmOpsPermissions,
  readSpecsConfig,
} from '@llmops/plugin-llm-ops-common';
import {
  catalogSyncStatusServiceRef,
  LlmOpsAdapter,
  llmOpsAdaptersExtensionPoint,
  llmOpsToolsServiceRef,
} from '@llmops/plugin-llm-ops-node';
import { createLlmOpsDatabase } from './database/LlmOpsDatabase';
import { createDeliveryHandlers } from './queue/deliveryHandlers';
import { DeliveryQueue, readDeliveryOptions } from './queue/DeliveryQueue';
import type { ApiContext } from './service/context';
import { createRouter } from './service/createRouter';
import {
  deploymentResourceRef,
  deploymentRules,
  loadDeploymentResources,
} from './service/deploymentPermissions';
import { deploymentConverter } from './service/Deployments';
import {
  announceOutputs,
  announceTransitions,
} from './service/announceTransitions';
import { LifecycleTracker } from './service/Lifecycle';
import { readEnvironments } from './service/environments';
import {
  loadTrainingJobResources,
  trainingJobResourceRef,
  trainingJobRules,
} from './service/trainingJobPermissions';
import {
  loadModelAliasResources,
  modelAliasResourceRef,
  modelAliasRules,
} from './service/modelAliasPermissions';
import {
  loadToolUiResources,
  toolUiResourceRef,
  toolUiRules,
} from './service/toolUiPermissions';
import { revalidateAll } from './service/Revalidation';
import { settleSubject } from './service/settlement';
import {
  createToolUiRouters,
  readToolUiProxySettings,
  toolUiSessionUrl,
  describeToolUis,
  readToolUiTargets,
} from './service/toolUiProxy';

function readSchedule(
  config: Config,
  key: string,
  fallback: SchedulerServiceTaskScheduleDefinition,
): SchedulerServiceTaskScheduleDefinition {
  return config.has(key)
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config.getConfig(key),
      )
    : fallback;
}

/**
 * The LLM Ops backend plugin: the `/llm-ops/v1` API, served by Backstage at
 * `/api/llm-ops/v1`.
 *
 * @public
 */
export const llmOpsPlugin = createBackendPlugin({
  pluginId: 'llm-ops',
  register(env) {
    const registered: LlmOpsAdapter[] = [];
    env.registerExtensionPoint(llmOpsAdaptersExtensionPoint, {
      addAdapter(...adapters) {
        registered.push(...adapters);
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        auditor: coreServices.auditor,
        database: coreServices.database,
        discovery: coreServices.discovery,
        scheduler: coreServices.scheduler,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        catalogSync: catalogSyncStatusServiceRef,
        toolsService: llmOpsToolsServiceRef,
        events: eventsServiceRef,
        signals: signalsServiceRef,
        notifications: notificationService,
      },
      async init(deps) {
        const { config, logger, httpRouter, scheduler, toolsService } = deps;
        // The extension point's adapters serve the catalog's providers too.
        toolsService.register(registered);
        const tools = toolsService.tools;
        const db = await createLlmOpsDatabase(deps.database);
        const delivery = readDeliveryOptions(config);
        const ctx: ApiContext = {
          db,
          tools,
          catalog: deps.catalog,
          permissions: deps.permissions,
          specs: readSpecsConfig(config),
          environments: readEnvironments(config),
          serviceSubjects:
            config.getOptionalStringArray('llmOps.serviceSubjects') ?? [],
          modelSources: config.getOptionalStringArray('llmOps.modelSources'),
          delivery,
          logger,
          queue: new DeliveryQueue(
            db.outbox,
            createDeliveryHandlers(tools, revision =>
              deploymentConverter(ctx)(revision),
            ),
            delivery,
            logger,
            id => settleSubject(ctx, id),
            async id => (await db.findSubject(id))?.status === 'non_compliant',
          ),
        };

        deps.permissionsRegistry.addPermissions(llmOpsPermissions);
        deps.permissionsRegistry.addResourceType({
          resourceRef: toolUiResourceRef,
          rules: toolUiRules,
          getResources: loadToolUiResources,
        });
        deps.permissionsRegistry.addResourceType({
          resourceRef: trainingJobResourceRef,
          rules: trainingJobRules,
          getResources: refs => loadTrainingJobResources({ db }, refs),
        });
        deps.permissionsRegistry.addResourceType({
          resourceRef: modelAliasResourceRef,
          rules: modelAliasRules,
          getResources: refs =>
            loadModelAliasResources(
              { catalog: deps.catalog, auth: deps.auth },
              refs,
            ),
        });
        deps.permissionsRegistry.addResourceType({
          resourceRef: deploymentResourceRef,
          rules: deploymentRules,
          getResources: refs => loadDeploymentResources({ db }, refs),
        });

        // The retry queue: a global task, so one instance delivers at a time;
        // claims with a lease keep instances apart even so.
        await scheduler.scheduleTask({
          id: 'llm-ops-delivery',
          scope: 'global',
          ...readSchedule(config, 'llmOps.queue.schedule', {
            frequency: { seconds: 10 },
            timeout: { minutes: 5 },
          }),
          fn: async () => {
            await ctx.queue.deliverDue();
          },
        });
        // Follows what the portal started, from the tools' own state: a global
        // task (one instance at a time), whose every change is a compare-and-set.
        const lifecycle = new LifecycleTracker(
          ctx,
          announceTransitions({
            events: deps.events,
            signals: deps.signals,
            notifications: deps.notifications,
          }),
          announceOutputs({ events: deps.events, signals: deps.signals }),
        );
        await scheduler.scheduleTask({
          id: 'llm-ops-lifecycle',
          scope: 'global',
          ...readSchedule(config, 'llmOps.lifecycle.schedule', {
            frequency: { seconds: 15 },
            timeout: { minutes: 5 },
          }),
          fn: async () => {
            await lifecycle.trackAll();
          },
        });
        // The orchestrator's watch, between the rounds: one instance at a
        // time holds it, for watchSeconds, then the next run takes over.
        const watchSeconds =
          config.getOptionalNumber('llmOps.lifecycle.watchSeconds') ?? 240;
        await scheduler.scheduleTask({
          id: 'llm-ops-lifecycle-watch',
          scope: 'global',
          frequency: { seconds: 10 },
          timeout: { seconds: watchSeconds + 60 },
          fn: async abortSignal => {
            await lifecycle.watch(
              AbortSignal.any([
                abortSignal,
                AbortSignal.timeout(watchSeconds * 1000),
              ]),
            );
          },
        });
        await scheduler.scheduleTask({
          id: 'llm-ops-revalidation',
          scope: 'global',
          ...readSchedule(config, 'llmOps.revalidation.schedule', {
            frequency: { hours: 1 },
            timeout: { minutes: 30 },
            initialDelay: { minutes: 1 },
          }),
          fn: async () => {
            const summary = await revalidateAll(ctx, deps.auth);
            logger.info(
              `Re-validation: ${summary.nonCompliant} of ${summary.checked} non-compliant, ${summary.restored} restored`,
            );
          },
        });

        const uiTargets = readToolUiTargets(config);
        const uiSettings = readToolUiProxySettings(config);
        const pluginBaseUrl = await deps.discovery.getExternalBaseUrl(
          'llm-ops',
        );
        httpRouter.use(
          await createRouter({
            ctx,
            auditor: deps.auditor,
            httpAuth: deps.httpAuth,
            auth: deps.auth,
            logger,
            toolUis: describeToolUis(uiTargets, uiSettings),
            catalogSync: deps.catalogSync,
            toolUiRouters: createToolUiRouters(uiTargets, {
              // The portal's pages: the app (served apart from the backend
              // by yarn start) and the backend, which serves the app too.
              frameAncestors: [
                ...new Set(
                  ['app.baseUrl', 'backend.baseUrl']
                    .map(key => config.getOptionalString(key))
                    .filter((url): url is string => !!url)
                    .map(url => new URL(url).origin),
                ),
              ],
              settings: uiSettings,
              httpAuth: deps.httpAuth,
              auth: deps.auth,
              permissions: deps.permissions,
            }),
            openToolUi: (credentials, tool, path) =>
              toolUiSessionUrl(
                deps.auth,
                uiSettings,
                credentials,
                tool,
                path,
                pluginBaseUrl,
              ),
          }),
        );
        // On the portal's origin the tool UIs load in iframes, which send
        // Backstage's user cookie (issued at /.backstage/auth/v1/cookie)
        // rather than a token; on the proxy's own origin, the proxy checks
        // its own session cookie.
        httpRouter.addAuthPolicy({ path: '/ui', allow: 'user-cookie' });
        httpRouter.addAuthPolicy({
          path: '/ui-origin',
          allow: 'unauthenticated',
        });
        // Health is for monitors and reveals no secrets or errors; every other
        // route but the OpenAPI document requires user or service credentials.
        httpRouter.addAuthPolicy({
          path: '/v1/health',
          allow: 'unauthenticated',
        });
        // The API's own description, for the API docs and contract tests.
        httpRouter.addAuthPolicy({
          path: '/v1/openapi.json',
          allow: 'unauthenticated',
        });
      },
    });
  },
});
