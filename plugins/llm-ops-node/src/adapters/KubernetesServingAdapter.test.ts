import { parse } from 'yaml';
import {
  DeploymentSpec,
  deploymentToInferenceService,
  deploymentToRayService,
} from '@llmops/plugin-llm-ops-common';
import {
  Cluster,
  condition,
  describePeer,
  GPU_NODES,
  startCluster,
} from '@internal/llmops-test-utils';
import { toolErrorData } from '../tools/ToolError';
import { KubernetesServingAdapter } from './KubernetesServingAdapter';
import { ToolHttpClient } from './ToolHttpClient';

jest.setTimeout(300_000);

const spec = (rollout: object, resources: object = {}): DeploymentSpec =>
  parse(`
kind: DeploymentSpec
model_ref: model:default/qwen2-sft
model_family: qwen
job_type: SFT
resources: { gpus: 1, gpu_memory_gb: 24, ${Object.entries(resources)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ')} }
runtime: { max_concurrent_requests: 16, max_input_tokens: 4096, max_output_tokens: 512 }
rollout: ${JSON.stringify(rollout)}
`);
const rolling = { strategy: 'rolling', traffic_split: { old: 0, new: 100 } };
const canary = { strategy: 'canary', traffic_split: { old: 90, new: 10 } };
const model = { source: 'hf://Qwen/Qwen2.5-0.5B-Instruct' };
const NAMESPACE = 'serving';

/**
 * What the portal applies, reconciled by the tools' own controllers on a
 * test cluster: KServe v0.15.2 in RawDeployment mode (its webhooks admit
 * and default) and KubeRay v1.5.0. Readiness is what the controllers
 * write; the test only plays the kubelet's part (kwok) for pod readiness.
 */
describePeer(
  'KubernetesServingAdapter against KServe and KubeRay on a test cluster',
  () => {
    let cluster: Cluster;
    let token: string;
    const signal = new AbortController().signal;
    const adapter = (tool: 'kserve' | 'rayserve', auth = token) =>
      new KubernetesServingAdapter(
        tool,
        new ToolHttpClient({
          tool,
          baseUrl: cluster.url,
          auth: { type: 'bearer', token: auth },
          tls: { ca: Buffer.from(cluster.caData, 'base64').toString('utf8') },
          retries: 0,
        }),
        NAMESPACE,
      );
    const isvcPath = (name: string) =>
      `/apis/serving.kserve.io/v1beta1/namespaces/${NAMESPACE}/inferenceservices/${name}`;

    beforeAll(async () => {
      cluster = await startCluster({ kserve: true, kuberay: true });
      await cluster.namespace(NAMESPACE);
      // The portal's service account: serving resources in its namespace only.
      token = await cluster.serviceAccountWithRole(NAMESPACE, 'llm-ops', [
        {
          apiGroups: ['serving.kserve.io', 'ray.io'],
          resources: ['inferenceservices', 'rayservices'],
          verbs: ['create', 'get', 'list', 'watch', 'patch', 'update'],
        },
      ]);
    }, 600_000);
    afterAll(async () => {
      await cluster?.stop();
    });

    it('answers ping for both tools', async () => {
      await expect(adapter('kserve').ping(signal)).resolves.toBeUndefined();
      await expect(adapter('rayserve').ping(signal)).resolves.toBeUndefined();
    });

    it('applies a rolling InferenceService that KServe admits, deploys on the L4 node and reports Ready', async () => {
      const isvc = deploymentToInferenceService(spec(rolling), {
        model,
        namespace: NAMESPACE,
        name: 'qwen-sft',
      });
      const kserve = adapter('kserve');
      const ref = await kserve.applyDeployment(
        { deploymentId: 'd-1', manifests: [isvc] },
        signal,
      );
      expect(ref).toEqual({ id: 'qwen-sft', namespace: NAMESPACE });

      // What the portal wrote is kept: KServe's webhooks only added defaults.
      const stored = (await cluster.call('GET', isvcPath(ref.id))).body;
      expect(stored.spec).toMatchObject(isvc.spec);
      expect(
        stored.metadata.annotations['serving.kserve.io/deploymentMode'],
      ).toBe('RawDeployment');
      expect(stored.metadata.managedFields).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ manager: 'llm-ops', operation: 'Apply' }),
        ]),
      );
      // Applying the same revision again changes nothing.
      await kserve.applyDeployment(
        { deploymentId: 'd-1', manifests: [isvc] },
        signal,
      );
      expect(
        (await cluster.call('GET', isvcPath(ref.id))).body.metadata.generation,
      ).toBe(stored.metadata.generation);

      // The controller makes a Deployment; once its pod is Ready, so is the service.
      await cluster.waitFor(
        isvcPath(ref.id),
        b => condition(b, 'Ready'),
        180_000,
      );
      const status = await kserve.getDeploymentStatus(ref, signal);
      expect(status).toMatchObject({
        ready: true,
        trafficSplit: { old: 0, new: 100 },
      });
      expect(status.url).toMatch(/^https?:\/\/qwen-sft/);
      const pods = (
        await cluster.call(
          'GET',
          `/api/v1/namespaces/${NAMESPACE}/pods?labelSelector=serving.kserve.io%2Finferenceservice%3Dqwen-sft`,
        )
      ).body.items;
      expect(pods.map((p: any) => p.spec.nodeName)).toEqual([
        GPU_NODES.l4.name,
      ]);
      const main = pods[0].spec.containers[0];
      // CPU and memory come from the portal, not KServe's 1 CPU / 2 Gi defaults
      expect(main.resources.requests).toMatchObject({ 'nvidia.com/gpu': '1' });
      expect(main.resources.requests.cpu).toBe(main.resources.limits.cpu);
      expect(main.resources.requests.memory).not.toBe('2Gi');
    });

    it("labels what it applies, and takes over nothing: not another deployment's object, not one a GitOps tool made, not a newer revision", async () => {
      const kserve = adapter('kserve');
      const isvc = (name: string) =>
        deploymentToInferenceService(spec(rolling), {
          model,
          namespace: NAMESPACE,
          name,
        });
      await kserve.applyDeployment(
        {
          deploymentId: 'owner-1',
          manifests: [isvc('owned')],
          labels: {
            'llmops.dev/environment': 'dev',
            'llmops.dev/revision': '2',
          },
        },
        signal,
      );
      const stored = (await cluster.call('GET', isvcPath('owned'))).body;
      expect(stored.metadata.labels).toMatchObject({
        'llmops.dev/deployment-id': 'owner-1',
        'llmops.dev/environment': 'dev',
        'llmops.dev/revision': '2',
      });
      const refused = (deploymentId: string, name: string, revision = '1') =>
        kserve
          .applyDeployment(
            {
              deploymentId,
              manifests: [isvc(name)],
              labels: { 'llmops.dev/revision': revision },
            },
            signal,
          )
          .then(
            () => undefined,
            e => ({
              status: e.statusCode,
              data: toolErrorData(e),
              message: e.message,
            }),
          );
      // another record of the portal
      expect(await refused('intruder-2', 'owned')).toEqual({
        status: 409,
        data: { tool: 'kserve', reason: 'conflict' },
        message: `kserve: InferenceService ${NAMESPACE}/owned already exists and is the portal's deployment owner-1; the portal does not take it over`,
      });
      // an older revision of its own record
      expect(await refused('owner-1', 'owned', '1')).toMatchObject({
        status: 409,
        data: { tool: 'kserve', reason: 'stale-revision' },
      });
      // one that a GitOps tool applied (its own field manager, no portal label)
      const gitops = isvc('gitops');
      const made = await cluster.call(
        'PATCH',
        `${isvcPath('gitops')}?fieldManager=argocd-controller&force=true`,
        gitops,
        { contentType: 'application/apply-patch+yaml' },
      );
      expect(made.status).toBeLessThan(300);
      expect(await refused('owner-3', 'gitops')).toMatchObject({
        status: 409,
        message: expect.stringMatching(
          /not the portal's \(managed by argocd-controller/,
        ),
      });
      const untouched = (await cluster.call('GET', isvcPath('gitops'))).body;
      expect(
        untouched.metadata.labels?.['llmops.dev/deployment-id'],
      ).toBeUndefined();
    });

    it("reports the controller's not-Ready when the pod stops being ready, and Ready again", async () => {
      const kserve = adapter('kserve');
      const ref = { id: 'qwen-sft', namespace: NAMESPACE };
      const [pod] = (
        await cluster.call(
          'GET',
          `/api/v1/namespaces/${NAMESPACE}/pods?labelSelector=serving.kserve.io%2Finferenceservice%3Dqwen-sft`,
        )
      ).body.items;
      await cluster.pods.setReady(NAMESPACE, pod.metadata.name, false);
      await cluster.waitFor(
        isvcPath(ref.id),
        b => condition(b, 'Ready', 'False'),
        120_000,
      );
      const degraded = await kserve.getDeploymentStatus(ref, signal);
      expect(degraded.ready).toBe(false);
      expect(degraded.conditions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ type: 'Ready', status: 'False' }),
        ]),
      );
      await cluster.pods.setReady(NAMESPACE, pod.metadata.name, true);
      await cluster.waitFor(
        isvcPath(ref.id),
        b => condition(b, 'Ready'),
        120_000,
      );
      expect((await kserve.getDeploymentStatus(ref, signal)).ready).toBe(true);
    });

    it('refuses to set a traffic split on a RawDeployment, which would not enforce it', async () => {
      const error = await adapter('kserve')
        .setTraffic(
          { id: 'qwen-sft', namespace: NAMESPACE },
          { old: 50, new: 50 },
          signal,
        )
        .catch(e => e);
      expect(error.statusCode).toBe(409);
      expect(toolErrorData(error)).toEqual({
        tool: 'kserve',
        reason: 'no-traffic-split',
      });
      const stored = (await cluster.call('GET', isvcPath('qwen-sft'))).body;
      expect(stored.spec.predictor.canaryTrafficPercent).toBeUndefined();
    });

    it('moves a Serverless canary from 10 to 100 percent (stored as KServe reads it; Knative does not run here)', async () => {
      const isvc = deploymentToInferenceService(spec(canary), {
        model,
        namespace: NAMESPACE,
        name: 'qwen-canary',
        serving: { deploymentMode: 'Serverless' },
      });
      const kserve = adapter('kserve');
      const ref = await kserve.applyDeployment(
        { deploymentId: 'd-2', manifests: [isvc] },
        signal,
      );
      expect(
        (await kserve.getDeploymentStatus(ref, signal)).trafficSplit,
      ).toEqual({ old: 90, new: 10 });
      await kserve.setTraffic(ref, { old: 0, new: 100 }, signal);
      expect(
        (await cluster.call('GET', isvcPath(ref.id))).body.spec.predictor
          .canaryTrafficPercent,
      ).toBe(100);
      await expect(
        kserve.setTraffic(ref, { old: 50, new: 60 }, signal),
      ).rejects.toThrow(/add up to 100/);

      // a revision is stamped on the object, and an older one is refused
      await kserve.setTraffic(ref, { old: 0, new: 100, revision: 3 }, signal);
      const stale = await kserve
        .setTraffic(ref, { old: 100, new: 0, revision: 2 }, signal)
        .catch(e => e);
      expect(stale.statusCode).toBe(409);
      expect(toolErrorData(stale)).toEqual({
        tool: 'kserve',
        reason: 'stale-revision',
      });
      const stored = (await cluster.call('GET', isvcPath(ref.id))).body;
      expect(stored.metadata.labels['llmops.dev/revision']).toBe('3');
      expect(stored.spec.predictor.canaryTrafficPercent).toBe(100);
    });

    it("rejects a manifest KServe's validating webhook denies, as a 400 ToolError from kserve", async () => {
      const isvc = deploymentToInferenceService(spec(rolling), {
        model,
        namespace: NAMESPACE,
        name: 'broken',
      });
      const invalid = {
        ...isvc,
        spec: {
          predictor: { ...isvc.spec.predictor, minReplicas: 3, maxReplicas: 1 },
        },
      };
      const error = await adapter('kserve')
        .applyDeployment({ deploymentId: 'd-3', manifests: [invalid] }, signal)
        .catch(e => e);
      expect(error.name).toBe('ToolError');
      expect(error.statusCode).toBe(400);
      expect(toolErrorData(error)).toEqual({
        tool: 'kserve',
        reason: 'invalid-request',
      });
      expect(error.message).toMatch(/denied the request/);
      expect((await cluster.call('GET', isvcPath('broken'))).status).toBe(404);
    });

    it('applies a rolling RayService that KubeRay turns into a RayCluster, with no split to set', async () => {
      const rayService = deploymentToRayService(spec(rolling), {
        model,
        namespace: NAMESPACE,
      });
      const ray = adapter('rayserve');
      const ref = await ray.applyDeployment(
        { deploymentId: 'd-4', manifests: [rayService] },
        signal,
      );
      const path = `/apis/ray.io/v1/namespaces/${NAMESPACE}/rayservices/${ref.id}`;
      expect((await cluster.call('GET', path)).body.spec).toMatchObject(
        rayService.spec,
      );
      // the operator's own doing
      const owned = (c: any) =>
        c.metadata.ownerReferences?.some(
          (o: any) => o.kind === 'RayService' && o.name === ref.id,
        );
      const clusters = await cluster.waitFor(
        `/apis/ray.io/v1/namespaces/${NAMESPACE}/rayclusters`,
        list => list.items?.some(owned),
        180_000,
      );
      const [rayCluster] = clusters.items.filter(owned);
      expect(rayCluster.spec.headGroupSpec).toBeDefined();
      // Ray Serve's readiness comes from the Ray dashboard, which kwok pods lack.
      const status = await ray.getDeploymentStatus(ref, signal);
      expect(status.ready).toBe(false);
      expect(status.trafficSplit).toEqual({ old: 0, new: 100 });
      await expect(
        ray.setTraffic(ref, { old: 0, new: 100 }, signal),
      ).rejects.toMatchObject({
        statusCode: 409,
      });
    });

    it('fails with a ToolError that does not leak the token', async () => {
      const secret = 'not-the-token-0123456789';
      const error = await adapter('kserve', secret)
        .ping(signal)
        .catch(e => e);
      expect(error.name).toBe('ToolError');
      expect(error.statusCode).toBe(503);
      expect(toolErrorData(error)).toEqual({
        tool: 'kserve',
        reason: 'unauthorized',
      });
      expect(error.message).not.toContain(secret);
    });
  },
);
