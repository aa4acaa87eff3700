/**
 * Shapes around the API's generated models (`schema/openapi`): a tool's
 * page of results as the adapters return it, and a read from a tool.
 */
import type { ToolReadFields } from './schema/openapi';

/** A page of results and the token of the next page, if any. @public */
export interface Page<T> {
  items: T[];
  nextPageToken?: string;
}

/**
 * A read from a tool. When the tool is down, the last known answer comes
 * back with `stale: true` and the time it was fetched.
 *
 * @public
 */
export type ToolRead<T> = T & ToolReadFields;

/** A list endpoint's page of the portal's own records. @public */
export interface CursorPage<T> {
  items: T[];
  nextCursor?: string;
}
