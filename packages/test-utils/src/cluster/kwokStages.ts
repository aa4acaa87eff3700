import type { KubeClient, KubeObject } from './kube';
import { moduleManifests } from './manifests';

/**
 * The pod Stages kwok plays, as a kubelet would write pod status:
 *
 * - kwok v0.7.0's own "general" pod stages, from its module
 *   (`kustomize/stage/pod/general/`): pod-create (Pending, IPs, containers
 *   creating), pod-init-container-running / -completed, pod-ready (Running,
 *   Ready), pod-complete (Succeeded, for pods owned by a Job) and pod-delete
 *   (a deleted pod goes away);
 * - its chaos stage `kustomize/stage/pod/chaos/pod-container-running-failed.yaml`
 *   (a pod labelled `pod-container-running-failed.stage.kwok.x-k8s.io=true`
 *   fails with the exit code of its annotations);
 * - and the three test-control stages below, written after those: a test
 *   asks for a pod's end or readiness through annotations on the pod (its
 *   metadata, not its status), and kwok writes the status.
 *
 * Node stages are kwok's defaults (node-initialize, node-heartbeat-with-lease).
 *
 * The upstream delays (1 s plus up to 5 s jitter a step) are shortened to
 * `delayMs` plus up to `jitterMs`; the per-pod delay annotations
 * (`<stage>.stage.kwok.x-k8s.io/delay`) still override them.
 */
export const POD_EXIT_CODE_ANNOTATION = 'kwok.llmops.dev/exit-code';
/** The container that exits with the code (the others exit 0); all of them when unset. */
export const POD_EXIT_CONTAINER_ANNOTATION = 'kwok.llmops.dev/exit-container';
/** `"false"`: a Running pod's containers stop being ready; `"true"`: ready again. */
export const POD_READY_ANNOTATION = 'kwok.llmops.dev/ready';

/**
 * A Running pod whose `POD_READY_ANNOTATION` asks for `ready` and whose Ready
 * condition says otherwise gets the Ready and ContainersReady conditions and
 * container statuses of that readiness.
 */
function readinessStage(ready: boolean): string {
  const status = ready ? 'True' : 'False';
  const reason = ready
    ? `message: ''
        reason: ''`
    : `message: 'containers with unready status: [{{ range .spec.containers }} {{ .name }} {{ end }}]'
        reason: ContainersNotReady`;
  return `---
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: ${ready ? 'llmops-pod-ready-again' : 'llmops-pod-not-ready'}
spec:
  resourceRef:
    apiGroup: v1
    kind: Pod
  selector:
    matchExpressions:
    - key: '.metadata.deletionTimestamp'
      operator: 'DoesNotExist'
    - key: '.status.phase'
      operator: 'In'
      values:
      - 'Running'
    - key: '.metadata.annotations["${POD_READY_ANNOTATION}"]'
      operator: 'In'
      values:
      - '${ready}'
    - key: '.status.conditions.[] | select( .type == "Ready" ) | .status'
      operator: 'In'
      values:
      - '${ready ? 'False' : 'True'}'
  weight: 10000
  delay:
    durationMilliseconds: 100
  next:
    statusTemplate: |
      {{ $now := Now }}
      conditions:
      - lastProbeTime: null
        lastTransitionTime: {{ $now | Quote }}
        ${reason}
        status: "${status}"
        type: Ready
      - lastProbeTime: null
        lastTransitionTime: {{ $now | Quote }}
        ${reason}
        status: "${status}"
        type: ContainersReady
      containerStatuses:
      {{ range .spec.containers }}
      - image: {{ .image | Quote }}
        name: {{ .name | Quote }}
        ready: ${ready}
        restartCount: 0
        started: true
        state:
          running:
            startedAt: {{ $now | Quote }}
      {{ end }}`;
}

const controlStages = `
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: llmops-pod-exit
spec:
  resourceRef:
    apiGroup: v1
    kind: Pod
  selector:
    matchExpressions:
    - key: '.metadata.deletionTimestamp'
      operator: 'DoesNotExist'
    - key: '.status.phase'
      operator: 'In'
      values:
      - 'Running'
    - key: '.metadata.annotations["${POD_EXIT_CODE_ANNOTATION}"]'
      operator: 'Exists'
  weight: 10000
  delay:
    durationMilliseconds: 100
  next:
    event:
      type: Normal
      reason: Exited
      message: Containers exited
    statusTemplate: |
      {{ $now := Now }}
      {{ $annotations := or .metadata.annotations dict }}
      {{ $code := index $annotations "${POD_EXIT_CODE_ANNOTATION}" }}
      {{ $container := or ( index $annotations "${POD_EXIT_CONTAINER_ANNOTATION}" ) "" }}
      conditions:
      - lastProbeTime: null
        lastTransitionTime: {{ $now | Quote }}
        reason: PodCompleted
        status: "False"
        type: Ready
      - lastProbeTime: null
        lastTransitionTime: {{ $now | Quote }}
        reason: PodCompleted
        status: "False"
        type: ContainersReady
      containerStatuses:
      {{ range .spec.containers }}
      {{ $mine := or ( not $container ) ( eq .name $container ) }}
      {{ $exit := "0" }}
      {{ if $mine }}{{ $exit = $code }}{{ end }}
      - image: {{ .image | Quote }}
        name: {{ .name | Quote }}
        ready: false
        restartCount: 0
        started: false
        state:
          terminated:
            exitCode: {{ $exit }}
            finishedAt: {{ $now | Quote }}
            reason: {{ if eq $exit "0" }}Completed{{ else }}Error{{ end }}
            startedAt: {{ $now | Quote }}
      {{ end }}
      phase: {{ if eq $code "0" }}Succeeded{{ else }}Failed{{ end }}
${readinessStage(false)}
${readinessStage(true)}
`;

/** kwok's own pod stages (module files) with shortened delays, then the test-control stages. */
export function podStages(
  options: { delayMs?: number; jitterMs?: number } = {},
): { upstream: KubeObject[]; control: string } {
  const delayMs = options.delayMs ?? 200;
  const jitterMs = options.jitterMs ?? 300;
  const general = [
    'pod-create',
    'pod-init-container-running',
    'pod-init-container-completed',
    'pod-ready',
    'pod-complete',
    'pod-delete',
  ].map(name => `kustomize/stage/pod/general/${name}.yaml`);
  const upstream = moduleManifests(
    'kwok',
    ...general,
    'kustomize/stage/pod/chaos/pod-container-running-failed.yaml',
  ).map(stage => {
    const delay = stage.spec.delay;
    if (delay) {
      if (delay.durationMilliseconds !== undefined) {
        delay.durationMilliseconds = delayMs;
      }
      if (delay.jitterDurationMilliseconds !== undefined) {
        delay.jitterDurationMilliseconds = delayMs + jitterMs;
      }
    }
    return stage;
  });
  return { upstream, control: controlStages };
}

/** How a test drives a kwok pod, as a kubelet would report it. */
export interface PodDriver {
  /** Its containers exit (`container` alone with `exitCode`, the others 0): Succeeded for 0, else Failed. */
  exit(
    namespace: string,
    pod: string,
    exitCode: number,
    container?: string,
  ): Promise<void>;
  /** Its containers stop being ready (`false`) or are ready again (`true`). */
  setReady(namespace: string, pod: string, ready: boolean): Promise<void>;
}

export function podDriver(kube: KubeClient): PodDriver {
  const annotate = async (
    namespace: string,
    pod: string,
    annotations: Record<string, string | null>,
  ) => {
    const response = await kube.call(
      'PATCH',
      `/api/v1/namespaces/${namespace}/pods/${pod}`,
      { metadata: { annotations } },
      { contentType: 'application/merge-patch+json' },
    );
    if (response.status !== 200) {
      throw new Error(
        `annotating pod ${namespace}/${pod}: ${
          response.status
        } ${JSON.stringify(response.body).slice(0, 500)}`,
      );
    }
  };
  return {
    exit: (namespace, pod, exitCode, container) =>
      annotate(namespace, pod, {
        [POD_EXIT_CONTAINER_ANNOTATION]: container ?? null,
        [POD_EXIT_CODE_ANNOTATION]: String(exitCode),
      }),
    setReady: (namespace, pod, ready) =>
      annotate(namespace, pod, { [POD_READY_ANNOTATION]: String(ready) }),
  };
}
