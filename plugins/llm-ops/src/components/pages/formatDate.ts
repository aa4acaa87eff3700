/** An ISO timestamp in the user's locale, or a dash. */
export function formatDate(iso?: string | null): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}
