/**
 * The GPU types a TrainJobSpec's `resources.gpu_type` may name, and the
 * node labels each one matches.
 *
 * Nodes are selected by the `nvidia.com/gpu.product` label of NVIDIA GPU
 * Feature Discovery (GFD). GFD builds it from the NVML device name (what
 * `nvidia-smi --query-gpu=name` prints) in `internal/lm/resource.go` of
 * NVIDIA/k8s-device-plugin (v0.18.0, which now holds GFD): `sanitise()`
 * drops every character outside `[A-Za-z0-9-_. ]` and joins the
 * blank-separated words with `-`, so "NVIDIA A100-SXM4-80GB" becomes
 * `NVIDIA-A100-SXM4-80GB` and "NVIDIA H100 80GB HBM3" becomes
 * `NVIDIA-H100-80GB-HBM3`. The label is never the marketing name
 * (`A100-80GB`): a node selector on that matches no node and the pod stays
 * Pending.
 *
 * Each type lists the NVML names of its variants (SXM and PCIe boards of
 * the same GPU and memory size); a pod matches any of them through a node
 * affinity `In`. What the table does not cover, on purpose:
 *
 * - GPUs shared by time-slicing or MPS, whose product label GFD suffixes
 *   with `-SHARED` (`getProductName`): training is not given shared GPUs.
 * - MIG slices (`…-MIG-1g.10gb`, on `nvidia.com/gpu.product` with the
 *   `single` MIG strategy or on `nvidia.com/mig-*.product` with `mixed`).
 *
 * Other GPUs, or other boards, are added in app-config as
 * `llmOps.gpuTypes.<name>.products` (GFD product strings as the nodes show
 * them: `kubectl get nodes -L nvidia.com/gpu.product`).
 *
 * Where the NVML names and memory sizes come from: NVIDIA's GPU product
 * names as NVML reports them, seen on GFD-labelled nodes in public
 * manifests and tooling (node selectors such as `NVIDIA-A100-80GB-PCIe`,
 * `NVIDIA-A100-PCIE-40GB`, `NVIDIA-H100-PCIe`, `NVIDIA-H100-NVL`,
 * `NVIDIA-H200`, `Tesla-T4`, `NVIDIA-A10G`), and `nvidia.com/gpu.memory`
 * (NVML's total memory in MiB, `GetTotalMemoryMiB`) as reported for A100
 * 80GB 81920, H100 80GB HBM3 81559, L4 23034, L40S 46068, H200 143771,
 * A100 40GB 40960, T4 15360 and A10G 23028 MiB. The memory sizes only
 * document the table (and test the GPU-memory rule of the serving
 * converters); selection is by product.
 */

/** One GPU type of the built-in table. @public */
export interface KnownGpuType {
  /** NVML device names of the type's boards. */
  nvmlNames: readonly string[];
  /** `nvidia.com/gpu.memory` (NVML total memory, MiB) of the first board. */
  memoryMiB?: number;
}

/**
 * The built-in GPU types, by the name a spec uses.
 *
 * @public
 */
export const KNOWN_GPU_TYPES: Readonly<Record<string, KnownGpuType>> = {
  'nvidia-t4': { nvmlNames: ['Tesla T4'], memoryMiB: 15360 },
  'nvidia-a10g': { nvmlNames: ['NVIDIA A10G'], memoryMiB: 23028 },
  'nvidia-l4': { nvmlNames: ['NVIDIA L4'], memoryMiB: 23034 },
  'nvidia-l40s': { nvmlNames: ['NVIDIA L40S'], memoryMiB: 46068 },
  'nvidia-a100-40gb': {
    nvmlNames: ['NVIDIA A100-SXM4-40GB', 'NVIDIA A100-PCIE-40GB'],
    memoryMiB: 40960,
  },
  'nvidia-a100-80gb': {
    nvmlNames: ['NVIDIA A100-SXM4-80GB', 'NVIDIA A100 80GB PCIe'],
    memoryMiB: 81920,
  },
  'nvidia-h100-80gb': {
    nvmlNames: ['NVIDIA H100 80GB HBM3', 'NVIDIA H100 PCIe'],
    memoryMiB: 81559,
  },
  'nvidia-h100-nvl': { nvmlNames: ['NVIDIA H100 NVL'] },
  'nvidia-h200-141gb': {
    nvmlNames: ['NVIDIA H200', 'NVIDIA H200 NVL'],
    memoryMiB: 143771,
  },
};

/**
 * GPU types by name, each with the `nvidia.com/gpu.product` values it
 * matches: `llmOps.gpuTypes`, which adds to (or replaces entries of) the
 * built-in table.
 *
 * @public
 */
export type GpuTypeTable = Record<string, { products: string[] }>;

/**
 * GFD's `sanitise()`: the `nvidia.com/gpu.product` label of an NVML device
 * name.
 *
 * @public
 */
export function gfdProductLabel(nvmlName: string): string {
  return nvmlName
    .replace(/[^A-Za-z0-9\-_. ]/g, '')
    .split(/\s+/)
    .filter(Boolean)
    .join('-');
}

/** The built-in table with its product labels. */
const BUILT_IN: GpuTypeTable = Object.fromEntries(
  Object.entries(KNOWN_GPU_TYPES).map(([name, type]) => [
    name,
    { products: type.nvmlNames.map(gfdProductLabel) },
  ]),
);

/**
 * The GPU types a spec may name: the built-in ones and the configured ones.
 *
 * @public
 */
export function gpuTypeTable(configured: GpuTypeTable = {}): GpuTypeTable {
  return { ...BUILT_IN, ...configured };
}

/** The product labels of a GPU type, or undefined for an unknown type. */
export function gpuProducts(
  gpuType: string,
  configured?: GpuTypeTable,
): string[] | undefined {
  const table = gpuTypeTable(configured);
  return Object.hasOwn(table, gpuType) ? table[gpuType].products : undefined;
}

const fold = (value: string) =>
  value
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .replace(/^(nvidia|tesla)/, '');

/**
 * The known type a value probably means: `A100-80GB` or the product label
 * `NVIDIA-A100-SXM4-80GB` give `nvidia-a100-80gb`.
 */
export function suggestGpuType(
  value: string,
  configured?: GpuTypeTable,
): string | undefined {
  const table = gpuTypeTable(configured);
  const folded = fold(value);
  for (const [name, { products }] of Object.entries(table)) {
    if (
      fold(name) === folded ||
      products.some(p => p.toLowerCase() === value.toLowerCase())
    ) {
      return name;
    }
  }
  return undefined;
}
