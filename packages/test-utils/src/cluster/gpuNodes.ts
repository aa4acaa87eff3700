/**
 * Fake nodes (run by kwok) modelled on real GPU machines, labelled as
 * NVIDIA GPU Feature Discovery (GFD) labels them, so that the portal's
 * scheduling constraints (nodeSelector / affinity on `nvidia.com/gpu.*`,
 * `nvidia.com/gpu` requests, tolerations) meet the real scheduler.
 *
 * Where the values come from (NVIDIA/k8s-device-plugin v0.18.0, the module
 * `github.com/NVIDIA/k8s-device-plugin@v0.18.0` of the Go module proxy, which
 * now holds GFD):
 *
 * - `internal/lm/resource.go`: `nvidia.com/gpu.product` is the NVML device
 *   name passed through `sanitise()` (characters outside `[A-Za-z0-9-_. ]`
 *   dropped, runs of blanks joined by `-`), so NVML's "NVIDIA A100-SXM4-80GB"
 *   becomes `NVIDIA-A100-SXM4-80GB` and "NVIDIA H100 80GB HBM3" becomes
 *   `NVIDIA-H100-80GB-HBM3`; `nvidia.com/gpu.count` the number of GPUs;
 *   `nvidia.com/gpu.replicas` 1 and `nvidia.com/gpu.sharing-strategy` `none`
 *   without a sharing config; `nvidia.com/gpu.memory` NVML's total memory in
 *   MiB (`GetTotalMemoryMiB`); `nvidia.com/gpu.family` from the CUDA compute
 *   capability (`getArchFamily`: 8.0 ampere, 8.9 ada-lovelace, 9.0 hopper)
 *   with `nvidia.com/gpu.compute.major` / `.minor`.
 * - `internal/lm/machine-type.go`: `nvidia.com/gpu.machine` is
 *   `/sys/class/dmi/id/product_name`, sanitised; on AWS EC2 (the machines
 *   modelled here) that is the instance type.
 * - `internal/lm/nvml.go`: `nvidia.com/cuda.driver-version.*`,
 *   `nvidia.com/cuda.runtime-version.*` (and the deprecated
 *   `nvidia.com/cuda.driver.*` / `cuda.runtime.*`), `nvidia.com/mig.capable`,
 *   `nvidia.com/mps.capable` (`false` unless MPS sharing is configured),
 *   `nvidia.com/gpu.mode` (`compute` for a 3D controller PCI class).
 *   No `nvidia.com/mig.strategy` label: GFD's default MIG strategy is `none`
 *   (`cmd/gpu-feature-discovery/main.go`), which adds none.
 * - `internal/lm/vgpu.go`: `nvidia.com/vgpu.present`.
 * - `nvidia.com/gpu.present=true` is not GFD's: the GPU operator sets it
 *   (with Node Feature Discovery's `feature.node.kubernetes.io/pci-10de.present`,
 *   10de being NVIDIA's PCI vendor id); the device plugin's Helm chart
 *   (`deployments/helm/nvidia-device-plugin/values.yaml`) schedules on it.
 *
 * Memory sizes as NVML reports them: A100-SXM4-80GB 81920 MiB,
 * H100-80GB-HBM3 81559 MiB, L4 23034 MiB. CUDA driver 570.124.06 / CUDA
 * 12.8 is one real release, the same on every node.
 *
 * The taint: `nvidia.com/gpu=present:NoSchedule`, as GKE puts on GPU node
 * pools and as the device plugin chart's NFD worker tolerates (`values.yaml`:
 * key nvidia.com/gpu, operator Equal, value present, effect NoSchedule). A
 * pod tolerates it with `{key: nvidia.com/gpu, operator: Exists, effect:
 * NoSchedule}` (what the device plugin's own DaemonSet uses) or with Equal
 * `present`. The CPU-only node has no taint.
 *
 * Capacity and allocatable: CPUs and memory of the EC2 instance type, less
 * a kubelet reservation in allocatable; `pods` 110 (the kubelet's default);
 * `nvidia.com/gpu` the GPU count (what the device plugin advertises).
 */

/** One modelled machine type. */
export interface GpuNodeModel {
  /** The node name in the test cluster. */
  name: string;
  /** EC2 instance type; GFD's `nvidia.com/gpu.machine`. */
  machine: string;
  /** NVML device name before GFD's sanitising, e.g. "NVIDIA A100-SXM4-80GB"; undefined for CPU-only. */
  nvmlName?: string;
  /** `nvidia.com/gpu.product`. */
  product?: string;
  /** `nvidia.com/gpu.memory`, MiB per GPU as NVML reports it. */
  memoryMiB?: number;
  /** GPUs on the node: `nvidia.com/gpu.count` and the `nvidia.com/gpu` resource. */
  gpus: number;
  /** `nvidia.com/gpu.family`. */
  family?: 'ampere' | 'ada-lovelace' | 'hopper';
  compute?: { major: number; minor: number };
  migCapable?: boolean;
  cpu: string;
  memory: string;
  allocatableCpu: string;
  allocatableMemory: string;
  /** Node labels (GFD's, plus the kubernetes.io / topology ones a kubelet and cloud provider set). */
  labels: Record<string, string>;
  taints: Array<{ key: string; value?: string; effect: string }>;
}

/** GFD's `sanitise()` (internal/lm/resource.go): the product label of an NVML name. */
export function gfdProductName(nvmlName: string): string {
  return nvmlName
    .replace(/[^A-Za-z0-9-_. ]/g, '')
    .split(/\s+/)
    .filter(Boolean)
    .join('-');
}

/** GFD's `getArchFamily` (internal/lm/resource.go). */
export function gfdFamily(major: number, minor: number): string {
  switch (major) {
    case 7:
      return minor < 5 ? 'volta' : 'turing';
    case 8:
      return minor < 9 ? 'ampere' : 'ada-lovelace';
    case 9:
      return 'hopper';
    case 10:
    case 12:
      return 'blackwell';
    default:
      return 'undefined';
  }
}

/** The GPU taint of the modelled GPU nodes. */
export const GPU_TAINT = {
  key: 'nvidia.com/gpu',
  value: 'present',
  effect: 'NoSchedule',
} as const;

/** The toleration a GPU pod carries for {@link GPU_TAINT}. */
export const GPU_TOLERATION = {
  key: 'nvidia.com/gpu',
  operator: 'Exists',
  effect: 'NoSchedule',
} as const;

const DRIVER = { major: '570', minor: '124', rev: '06' };
const CUDA = { major: '12', minor: '8' };

function gpuMachine(options: {
  name: string;
  machine: string;
  nvmlName: string;
  memoryMiB: number;
  gpus: number;
  compute: { major: number; minor: number };
  migCapable: boolean;
  cpu: string;
  memory: string;
  allocatableCpu: string;
  allocatableMemory: string;
  zone: string;
}): GpuNodeModel {
  const product = gfdProductName(options.nvmlName);
  const family = gfdFamily(
    options.compute.major,
    options.compute.minor,
  ) as GpuNodeModel['family'];
  return {
    ...options,
    product,
    family,
    labels: {
      ...baseLabels(options.name, options.machine, options.zone),
      'feature.node.kubernetes.io/pci-10de.present': 'true',
      'nvidia.com/gpu.present': 'true',
      'nvidia.com/gpu.product': product,
      'nvidia.com/gpu.memory': String(options.memoryMiB),
      'nvidia.com/gpu.count': String(options.gpus),
      'nvidia.com/gpu.replicas': '1',
      'nvidia.com/gpu.sharing-strategy': 'none',
      'nvidia.com/gpu.family': family!,
      'nvidia.com/gpu.compute.major': String(options.compute.major),
      'nvidia.com/gpu.compute.minor': String(options.compute.minor),
      'nvidia.com/gpu.machine': options.machine,
      'nvidia.com/gpu.mode': 'compute',
      'nvidia.com/mig.capable': String(options.migCapable),
      'nvidia.com/mps.capable': 'false',
      'nvidia.com/vgpu.present': 'false',
      'nvidia.com/cuda.driver-version.major': DRIVER.major,
      'nvidia.com/cuda.driver-version.minor': DRIVER.minor,
      'nvidia.com/cuda.driver-version.revision': DRIVER.rev,
      'nvidia.com/cuda.driver-version.full': `${DRIVER.major}.${DRIVER.minor}.${DRIVER.rev}`,
      'nvidia.com/cuda.runtime-version.major': CUDA.major,
      'nvidia.com/cuda.runtime-version.minor': CUDA.minor,
      'nvidia.com/cuda.runtime-version.full': `${CUDA.major}.${CUDA.minor}`,
      'nvidia.com/cuda.driver.major': DRIVER.major,
      'nvidia.com/cuda.driver.minor': DRIVER.minor,
      'nvidia.com/cuda.driver.rev': DRIVER.rev,
      'nvidia.com/cuda.runtime.major': CUDA.major,
      'nvidia.com/cuda.runtime.minor': CUDA.minor,
    },
    taints: [{ ...GPU_TAINT }],
  };
}

function baseLabels(name: string, instanceType: string, zone: string) {
  return {
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'node.kubernetes.io/instance-type': instanceType,
    'topology.kubernetes.io/region': 'us-east-1',
    'topology.kubernetes.io/zone': zone,
    // kwok's own marker: the nodes it manages (--manage-nodes-with-annotation-selector uses the annotation)
    type: 'kwok',
  };
}

/** 8× A100-SXM4-80GB (compute 8.0), EC2 p4de.24xlarge: 96 vCPU, 1152 GiB. */
const a100 = (name: string, zone: string) =>
  gpuMachine({
    name,
    machine: 'p4de.24xlarge',
    nvmlName: 'NVIDIA A100-SXM4-80GB',
    memoryMiB: 81920,
    gpus: 8,
    compute: { major: 8, minor: 0 },
    migCapable: true,
    cpu: '96',
    memory: '1152Gi',
    allocatableCpu: '95690m',
    allocatableMemory: '1140Gi',
    zone,
  });

/** The modelled nodes; the same values are exported for converter tests. */
export const GPU_NODES = {
  a100a: a100('gpu-a100-80gb-a', 'us-east-1a'),
  a100b: a100('gpu-a100-80gb-b', 'us-east-1b'),
  /** 8× H100 80GB HBM3 (compute 9.0), EC2 p5.48xlarge: 192 vCPU, 2048 GiB. */
  h100: gpuMachine({
    name: 'gpu-h100-80gb',
    machine: 'p5.48xlarge',
    nvmlName: 'NVIDIA H100 80GB HBM3',
    memoryMiB: 81559,
    gpus: 8,
    compute: { major: 9, minor: 0 },
    migCapable: true,
    cpu: '192',
    memory: '2048Gi',
    allocatableCpu: '191450m',
    allocatableMemory: '2030Gi',
    zone: 'us-east-1a',
  }),
  /** 1× L4 (compute 8.9, no MIG), EC2 g6.xlarge: 4 vCPU, 16 GiB. */
  l4: gpuMachine({
    name: 'gpu-l4',
    machine: 'g6.xlarge',
    nvmlName: 'NVIDIA L4',
    memoryMiB: 23034,
    gpus: 1,
    compute: { major: 8, minor: 9 },
    migCapable: false,
    cpu: '4',
    memory: '16Gi',
    allocatableCpu: '3920m',
    allocatableMemory: '14Gi',
    zone: 'us-east-1b',
  }),
  /** No GPU, EC2 m6i.2xlarge: 8 vCPU, 32 GiB; no taint. */
  cpu: {
    name: 'cpu-m6i',
    machine: 'm6i.2xlarge',
    gpus: 0,
    cpu: '8',
    memory: '32Gi',
    allocatableCpu: '7910m',
    allocatableMemory: '29Gi',
    labels: baseLabels('cpu-m6i', 'm6i.2xlarge', 'us-east-1a'),
    taints: [],
  } as GpuNodeModel,
} satisfies Record<string, GpuNodeModel>;

/** The annotation kwok selects its nodes by (kwok's documented `kwok.x-k8s.io/node: fake`). */
export const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';

/** The Node object of a model, for kwok to run. */
export function nodeObject(model: GpuNodeModel) {
  const resources = (cpu: string, memory: string) => ({
    cpu,
    memory,
    pods: '110',
    'ephemeral-storage': '500Gi',
    ...(model.gpus ? { 'nvidia.com/gpu': String(model.gpus) } : {}),
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: model.name,
      labels: model.labels,
      annotations: {
        [KWOK_NODE_ANNOTATION]: 'fake',
        'node.alpha.kubernetes.io/ttl': '0',
      },
    },
    spec: { taints: model.taints },
    status: {
      allocatable: resources(model.allocatableCpu, model.allocatableMemory),
      capacity: resources(model.cpu, model.memory),
      nodeInfo: {
        architecture: 'amd64',
        operatingSystem: 'linux',
        osImage: 'Amazon Linux 2023',
        kubeletVersion: 'v1.34.4',
      },
    },
  };
}
