import https from 'node:https';

/** A Kubernetes object, as far as these helpers need it. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: any;
}

export interface KubeResponse {
  status: number;
  body: any;
}

/** A client of the test cluster's API server (HTTPS, the cluster CA, a bearer token; none when empty). */
export interface KubeClient {
  url: string;
  token: string;
  /** The cluster CA certificate, PEM. */
  ca: string;
  /** Calls the API; returns status and parsed body (or text). Never throws on an HTTP status. */
  call(
    method: string,
    apiPath: string,
    body?: unknown,
    options?: { contentType?: string },
  ): Promise<KubeResponse>;
  /** The REST path of an object (or of its collection, without a name). */
  pathOf(ref: {
    apiVersion: string;
    kind: string;
    metadata?: { name?: string; namespace?: string };
  }): Promise<string>;
  /** Server-side apply (field manager `llmops-test`, forced); returns the object the server holds. */
  apply(object: KubeObject): Promise<any>;
  /** Gets an object by path; undefined when it is not found. */
  get(apiPath: string): Promise<any | undefined>;
  /** Deletes an object (foreground); ignores not found. */
  delete(object: KubeObject): Promise<void>;
  /**
   * Polls `apiPath` until `predicate(body)` is truthy and returns the body;
   * throws with the last body after `timeoutMs`.
   */
  waitFor(
    apiPath: string,
    predicate: (body: any) => unknown,
    timeoutMs?: number,
  ): Promise<any>;
}

const CLUSTER_SCOPED_CORE = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ComponentStatus',
]);

export function kubeClient(url: string, token: string, ca: string): KubeClient {
  const agent = new https.Agent({ ca, keepAlive: true, maxSockets: 16 });
  const call: KubeClient['call'] = (method, apiPath, body, options = {}) =>
    new Promise((resolve, reject) => {
      let payload: string | undefined;
      if (typeof body === 'string') payload = body;
      else if (body !== undefined) payload = JSON.stringify(body);
      const request = https.request(
        `${url}${apiPath}`,
        {
          method,
          agent,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            accept: 'application/json',
            ...(payload === undefined
              ? {}
              : {
                  'content-type': options.contentType ?? 'application/json',
                  'content-length': Buffer.byteLength(payload),
                }),
          },
          timeout: 30_000,
        },
        response => {
          const chunks: Buffer[] = [];
          response.on('data', c => chunks.push(c));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // keep the text
            }
            resolve({ status: response.statusCode ?? 0, body: parsed });
          });
          response.on('error', reject);
        },
      );
      request.on('timeout', () =>
        request.destroy(new Error(`${method} ${apiPath} timed out`)),
      );
      request.on('error', reject);
      if (payload !== undefined) request.write(payload);
      request.end();
    });

  // kind -> REST resource, from discovery (refreshed when a kind is unknown, e.g. a new CRD)
  const discovered = new Map<
    string,
    Map<string, { name: string; namespaced: boolean }>
  >();
  async function resource(apiVersion: string, kind: string) {
    for (let attempt = 0; attempt < 2; attempt++) {
      let kinds = discovered.get(apiVersion);
      if (!kinds || attempt > 0) {
        const base = apiVersion.includes('/')
          ? `/apis/${apiVersion}`
          : `/api/${apiVersion}`;
        const found = await call('GET', base);
        kinds = new Map();
        if (found.status === 200) {
          for (const r of found.body.resources ?? []) {
            if (!String(r.name).includes('/')) {
              kinds.set(r.kind, { name: r.name, namespaced: r.namespaced });
            }
          }
        }
        discovered.set(apiVersion, kinds);
      }
      const hit = kinds.get(kind);
      if (hit) return hit;
    }
    if (apiVersion === 'v1' && CLUSTER_SCOPED_CORE.has(kind)) {
      return { name: `${kind.toLowerCase()}s`, namespaced: false };
    }
    throw new Error(`the API server serves no ${kind} in ${apiVersion}`);
  }

  const pathOf: KubeClient['pathOf'] = async ref => {
    const r = await resource(ref.apiVersion, ref.kind);
    const base = ref.apiVersion.includes('/')
      ? `/apis/${ref.apiVersion}`
      : `/api/${ref.apiVersion}`;
    const ns =
      r.namespaced && ref.metadata?.namespace
        ? `/namespaces/${ref.metadata.namespace}`
        : '';
    const name = ref.metadata?.name ? `/${ref.metadata.name}` : '';
    return `${base}${ns}/${r.name}${name}`;
  };

  const client: KubeClient = {
    url,
    token,
    ca,
    call,
    pathOf,
    async apply(object) {
      const r = await resource(object.apiVersion, object.kind);
      if (r.namespaced && !object.metadata.namespace) {
        throw new Error(
          `${object.kind} ${object.metadata.name} needs a namespace`,
        );
      }
      const target = await pathOf(object);
      const response = await call(
        'PATCH',
        `${target}?fieldManager=llmops-test&force=true`,
        object,
        { contentType: 'application/apply-patch+yaml' },
      );
      if (response.status >= 300) {
        throw new Error(
          `applying ${object.kind} ${object.metadata.namespace ?? ''}/${
            object.metadata.name
          }: ${response.status} ${JSON.stringify(response.body).slice(
            0,
            1000,
          )}`,
        );
      }
      return response.body;
    },
    async get(apiPath) {
      const response = await call('GET', apiPath);
      if (response.status === 404) return undefined;
      if (response.status !== 200) {
        throw new Error(
          `GET ${apiPath}: ${response.status} ${JSON.stringify(
            response.body,
          ).slice(0, 500)}`,
        );
      }
      return response.body;
    },
    async delete(object) {
      const response = await call('DELETE', await pathOf(object), {
        apiVersion: 'v1',
        kind: 'DeleteOptions',
        propagationPolicy: 'Foreground',
      });
      if (response.status >= 300 && response.status !== 404) {
        throw new Error(
          `deleting ${object.kind} ${object.metadata.name}: ${
            response.status
          } ${JSON.stringify(response.body).slice(0, 500)}`,
        );
      }
    },
    async waitFor(apiPath, predicate, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      let last: unknown;
      for (;;) {
        const response = await call('GET', apiPath).catch(
          error => ({ status: 0, body: String(error) } as KubeResponse),
        );
        last = response.body;
        if (response.status === 200) {
          let ok: unknown = false;
          try {
            ok = predicate(response.body);
          } catch {
            ok = false;
          }
          if (ok) return response.body;
        }
        if (Date.now() > deadline) {
          throw new Error(
            `${apiPath} did not reach the expected state in ${timeoutMs} ms; last: ${JSON.stringify(
              last,
            ).slice(0, 3000)}`,
          );
        }
        await new Promise(r => setTimeout(r, 250));
      }
    },
  };
  return client;
}

/** Whether a condition of `status.conditions` has the given status. */
export function condition(
  object: any,
  type: string,
  status: string = 'True',
): boolean {
  return (object?.status?.conditions ?? []).some(
    (c: { type: string; status: string }) =>
      c.type === type && c.status === status,
  );
}
