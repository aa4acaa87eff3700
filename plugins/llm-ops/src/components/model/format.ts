/** Formatting shared by the model and dataset views. */

/** A timestamp (epoch ms or ISO string) in the user's locale, or `—`. */
export function formatTime(time: number | string | undefined): string {
  if (time === undefined || time === '') return '—';
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? String(time) : date.toLocaleString();
}

/** A duration such as `1h 5m`, `3m 12s` or `45s`, or `—` when unknown. */
export function formatDuration(startMs?: number, endMs?: number): string {
  if (startMs === undefined || endMs === undefined || endMs < startMs)
    return '—';
  const seconds = Math.round((endMs - startMs) / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}

/** A metric value with at most 4 significant digits. */
export function formatMetric(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '—';
  return Number.isInteger(value)
    ? String(value)
    : String(Number(value.toPrecision(4)));
}

/** A byte count in binary units, such as `870.0 MiB`. */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** `key=value, …` of a string map, or `—` when empty. */
export function formatPairs(pairs: Record<string, string> | undefined): string {
  const entries = Object.entries(pairs ?? {});
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(', ') : '—';
}

/** A parameter count for people: 8,030,261,248 → "8.03B". */
export function formatParameterCount(count: number | undefined): string {
  if (count === undefined) return '—';
  for (const [size, unit] of [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ] as const) {
    if (count >= size) return `${Number((count / size).toPrecision(3))}${unit}`;
  }
  return String(count);
}
