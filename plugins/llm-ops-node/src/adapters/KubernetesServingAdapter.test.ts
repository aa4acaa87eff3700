import { parse } from 'yaml';
// The converters are not exported from the package root yet: switch to it once they are.
import {
  deploymentToInferenceService,
  deploymentToRayService,
} from '@llmops/plugin-llm-ops-common';
import { KubernetesServingAdapter } from './KubernetesServingAdapter';
import { toolErrorData } from '../tools/ToolError';
import { ToolHttpClient } from './ToolHttpClient';
import {
  KubeApiserver,
  startKubeApiserver,
  describePeer,
} from '@internal/llmops-test-utils';

jest.setTimeout(180_000);

const canary = parse(`
kind: DeploymentSpec
model_ref: model:default/llama-3-8b-sft
model_family: llama
job_type: SFT
resources: { gpus: 1, gpu_memory_gb: 80 }
runtime: { max_concurrent_requests: 64, max_input_tokens: 6144, max_output_tokens: 1024 }
rollout: { strategy: canary, traffic_split: { old: 90, new: 10 } }
`);
const model = { source: 'hf://meta-llama/Meta-Llama-3-8B' };

describePeer(
  'KubernetesServingAdapter against a real Kubernetes API server',
  () => {
    let kube: KubeApiserver;
    const signal = new AbortController().signal;
    const adapter = (tool: 'kserve' | 'rayserve', token = kube.token) =>
      new KubernetesServingAdapter(
        tool,
        new ToolHttpClient({
          tool,
          baseUrl: kube.url,
          auth: { type: 'bearer', token },
          retries: 0,
        }),
        'serving',
      );
    const isvcPath = (name: string) =>
      `/apis/serving.kserve.io/v1beta1/namespaces/serving/inferenceservices/${name}`;

    beforeAll(async () => {
      kube = await startKubeApiserver([
        'kserve/serving.kserve.io_inferenceservices.yaml',
        'kuberay/ray.io_rayservices.yaml',
      ]);
    });
    afterAll(async () => {
      await kube?.stop();
    });

    it('answers ping for both tools', async () => {
      await expect(adapter('kserve').ping(signal)).resolves.toBeUndefined();
      await expect(adapter('rayserve').ping(signal)).resolves.toBeUndefined();
    });

    it('server-side applies a canary InferenceService, idempotently, with no field pruned', async () => {
      const isvc = deploymentToInferenceService(canary, {
        model,
        namespace: 'serving',
      });
      const kserve = adapter('kserve');
      const ref = await kserve.applyDeployment(
        { deploymentId: 'd-1', manifests: [isvc] },
        signal,
      );
      expect(ref).toEqual({ id: isvc.metadata.name, namespace: 'serving' });

      const stored = (await kube.call('GET', isvcPath(ref.id))).body;
      expect(stored.spec).toEqual(isvc.spec);
      expect(stored.metadata.labels).toEqual(isvc.metadata.labels);
      expect(stored.metadata.managedFields).toEqual([
        expect.objectContaining({ manager: 'llm-ops', operation: 'Apply' }),
      ]);

      await kserve.applyDeployment(
        { deploymentId: 'd-1', manifests: [isvc] },
        signal,
      );
      const again = (await kube.call('GET', isvcPath(ref.id))).body;
      expect(again.metadata.resourceVersion).toBe(
        stored.metadata.resourceVersion,
      );
    });

    it('moves canary traffic from 10 to 100 percent', async () => {
      const kserve = adapter('kserve');
      const ref = { id: 'llama-3-8b-sft', namespace: 'serving' };
      expect(
        (await kserve.getDeploymentStatus(ref, signal)).trafficSplit,
      ).toEqual({ old: 90, new: 10 });
      await kserve.setTraffic(ref, { old: 0, new: 100 }, signal);
      const stored = (await kube.call('GET', isvcPath(ref.id))).body;
      expect(stored.spec.predictor.canaryTrafficPercent).toBe(100);
      expect(
        (await kserve.getDeploymentStatus(ref, signal)).trafficSplit,
      ).toEqual({ old: 0, new: 100 });
      await expect(
        kserve.setTraffic(ref, { old: 50, new: 60 }, signal),
      ).rejects.toThrow(/add up to 100/);
    });

    it('reads readiness and URL from the status the controller writes', async () => {
      const kserve = adapter('kserve');
      const ref = { id: 'llama-3-8b-sft', namespace: 'serving' };
      expect(await kserve.getDeploymentStatus(ref, signal)).toMatchObject({
        ready: false,
        conditions: [],
      });
      const current = (await kube.call('GET', isvcPath(ref.id))).body;
      const url = 'http://llama-3-8b-sft.serving.example.com';
      const written = await kube.call('PUT', `${isvcPath(ref.id)}/status`, {
        ...current,
        status: {
          url,
          conditions: [
            {
              type: 'PredictorReady',
              status: 'True',
              lastTransitionTime: '2026-01-01T00:00:00Z',
            },
            {
              type: 'Ready',
              status: 'True',
              lastTransitionTime: '2026-01-01T00:00:00Z',
            },
          ],
        },
      });
      expect(written.status).toBe(200);
      const status = await kserve.getDeploymentStatus(ref, signal);
      expect(status).toMatchObject({ ready: true, url });
      expect(status.conditions.map(c => `${c.type}=${c.status}`)).toEqual([
        'PredictorReady=True',
        'Ready=True',
      ]);
    });

    it("rejects a manifest the CRD's schema refuses, as a 400 ToolError from kserve", async () => {
      const isvc = deploymentToInferenceService(canary, {
        model,
        namespace: 'serving',
        name: 'broken',
      });
      const invalid = {
        ...isvc,
        spec: {
          predictor: {
            ...isvc.spec.predictor,
            autoScaling: { metrics: [{ type: 'Bogus' }] },
          },
        },
      };
      const error = await adapter('kserve')
        .applyDeployment({ deploymentId: 'd-2', manifests: [invalid] }, signal)
        .catch(e => e);
      expect(error.name).toBe('ToolError');
      expect(error.statusCode).toBe(400);
      expect(toolErrorData(error)).toEqual({
        tool: 'kserve',
        reason: 'invalid-request',
      });
      expect(error.message).toMatch(
        /spec\.predictor\.autoScaling\.metrics\[0\]\.type: Unsupported value: "Bogus"/,
      );
      expect((await kube.call('GET', isvcPath('broken'))).status).toBe(404);
    });

    it('applies a RayService and keeps its traffic split in the annotation', async () => {
      const rayService = deploymentToRayService(canary, {
        model,
        namespace: 'serving',
      });
      const ray = adapter('rayserve');
      const ref = await ray.applyDeployment(
        { deploymentId: 'd-3', manifests: [rayService] },
        signal,
      );
      const path = `/apis/ray.io/v1/namespaces/serving/rayservices/${ref.id}`;
      // stored ⊇ applied: nothing pruned (the server only added CRD defaults)
      expect((await kube.call('GET', path)).body.spec).toMatchObject(
        rayService.spec,
      );
      expect((await ray.getDeploymentStatus(ref, signal)).trafficSplit).toEqual(
        { old: 90, new: 10 },
      );
      await ray.setTraffic(ref, { old: 0, new: 100 }, signal);
      expect(
        (await kube.call('GET', path)).body.metadata.annotations[
          'llmops.dev/traffic-split'
        ],
      ).toBe('0/100');
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
