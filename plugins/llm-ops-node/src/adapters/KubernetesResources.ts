import { isToolError, ToolError } from '../tools/ToolError';
import { ToolHttpClient } from './ToolHttpClient';

/**
 * A write an admission webhook denied (KServe's validation, say) comes back
 * as a 403, like a refused credential; it is the object's fault, so a 400.
 */
async function webhookDenialIsInvalid<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (
      isToolError(error) &&
      error.data.reason === 'unauthorized' &&
      /admission webhook .* denied the request/.test(error.message)
    ) {
      throw new ToolError(
        { tool: error.data.tool, reason: 'invalid-request' },
        error.message,
        { statusCode: 400 },
      );
    }
    throw error;
  }
}

/** The field manager of everything the portal applies. @public */
export const FIELD_MANAGER = 'llm-ops';

/** A status condition, as Kubernetes controllers write them. @public */
export interface KubernetesCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/**
 * A Kubernetes object, as far as the adapters read it: `Spec` and `Status`
 * name the fields a reader relies on.
 *
 * @public
 */
export interface KubernetesObject<
  Spec extends object = Record<string, unknown>,
  Status extends object = Record<string, unknown>,
> {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    resourceVersion?: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
    [key: string]: unknown;
  };
  spec?: Spec;
  status?: Status;
}

/**
 * The Kubernetes API calls the serving and Argo adapters share, on one
 * cluster: server-side apply, create, get, merge-patch and delete of
 * namespaced objects. The resource path comes from `apiVersion` and `kind`
 * (plural = lower-case kind + `s`, which holds for the kinds used here).
 *
 * @public
 */
export class KubernetesResources {
  constructor(readonly http: ToolHttpClient) {}

  /** The collection path of a kind in a namespace, plus a name if given. */
  path(
    apiVersion: string,
    kind: string,
    namespace: string,
    name?: string,
  ): string {
    const base = apiVersion.includes('/')
      ? `/apis/${apiVersion}`
      : `/api/${apiVersion}`;
    const collection = `${base}/namespaces/${encodeURIComponent(
      namespace,
    )}/${kind.toLowerCase()}s`;
    return name ? `${collection}/${encodeURIComponent(name)}` : collection;
  }

  /**
   * One window of a Kubernetes watch of a kind in a namespace, from a
   * resource version (or, without one, every object as ADDED first): calls
   * `onObject` for each change as it arrives, and gives the resource version
   * to go on from, bookmarks included; undefined when it has expired (410),
   * so that the caller starts over. The API server ends the window before
   * the client's timeout.
   */
  async watch<T extends KubernetesObject>(
    target: { apiVersion: string; kind: string; namespace: string },
    from: string | undefined,
    onObject: (type: string, object: T) => void,
    signal: AbortSignal,
  ): Promise<string | undefined> {
    const seconds = Math.max(1, Math.floor(this.http.timeoutMs / 1000) - 2);
    const response = await this.http.request(
      this.path(target.apiVersion, target.kind, target.namespace),
      {
        signal,
        query: {
          watch: 'true',
          allowWatchBookmarks: 'true',
          timeoutSeconds: String(seconds),
          ...(from ? { resourceVersion: from } : {}),
        },
      },
    );
    let version = from;
    let buffered = '';
    const decoder = new TextDecoder();
    const handle = (line: string) => {
      if (!line.trim()) return;
      const event = JSON.parse(line) as {
        type: string;
        object: T & { code?: number };
      };
      if (event.type === 'ERROR') {
        // 410 Gone: the version is too old to watch from
        if (event.object.code === 410) version = undefined;
        return;
      }
      version = event.object.metadata?.resourceVersion ?? version;
      if (event.type !== 'BOOKMARK') onObject(event.type, event.object);
    };
    for await (const chunk of response.body ?? []) {
      buffered += decoder.decode(chunk as Uint8Array, { stream: true });
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      lines.forEach(handle);
      // one event (a line) is bounded like any other body
      if (buffered.length > this.http.maxBodyBytes) {
        await response.body?.cancel().catch(() => {});
        throw new ToolError(
          { tool: this.http.tool, reason: 'response-too-large' },
          `${this.http.tool}: a watch event is larger than the limit of ${this.http.maxBodyBytes} bytes`,
        );
      }
    }
    handle(buffered);
    return version;
  }

  /** Server-side apply: idempotent, and takes over fields others changed. */
  apply(object: KubernetesObject, namespace: string, signal: AbortSignal) {
    const { apiVersion, kind, metadata } = object;
    return webhookDenialIsInvalid(
      this.http.json<KubernetesObject>(
        this.path(apiVersion, kind, namespace, metadata.name),
        {
          method: 'PATCH',
          idempotent: true,
          signal,
          query: { fieldManager: FIELD_MANAGER, force: true },
          headers: { 'content-type': 'application/apply-patch+yaml' },
          // JSON is YAML
          json: { ...object, metadata: { ...metadata, namespace } },
        },
      ),
    );
  }

  /** Creates an object; a 409 (ConflictError) means its name is taken. */
  create(object: KubernetesObject, namespace: string, signal: AbortSignal) {
    return webhookDenialIsInvalid(
      this.http.json<KubernetesObject>(
        this.path(object.apiVersion, object.kind, namespace),
        {
          method: 'POST',
          signal,
          query: { fieldManager: FIELD_MANAGER },
          json: { ...object, metadata: { ...object.metadata, namespace } },
        },
      ),
    );
  }

  /** Reads an object; `T` names the fields the caller relies on. */
  get<T extends KubernetesObject<object, object> = KubernetesObject>(
    apiVersion: string,
    kind: string,
    namespace: string,
    name: string,
    signal: AbortSignal,
  ) {
    return this.http.json<T>(this.path(apiVersion, kind, namespace, name), {
      signal,
    });
  }

  /** A JSON merge patch; idempotent, since it sets absolute values. */
  mergePatch(
    ref: { apiVersion: string; kind: string; namespace: string; name: string },
    patch: object,
    signal: AbortSignal,
  ) {
    return this.http.json<KubernetesObject>(
      this.path(ref.apiVersion, ref.kind, ref.namespace, ref.name),
      {
        method: 'PATCH',
        idempotent: true,
        signal,
        query: { fieldManager: FIELD_MANAGER },
        headers: { 'content-type': 'application/merge-patch+json' },
        json: patch,
      },
    );
  }
}
