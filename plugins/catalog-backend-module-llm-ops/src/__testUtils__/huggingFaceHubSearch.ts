import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/**
 * The Hub's model search, `GET /api/models`, in front of an olah mirror,
 * which does not serve it (olah answers only a named repo's routes).
 *
 * It serves only `GET /api/models`, with the query semantics documented at
 * huggingface.co/docs/hub/api, over the repositories olah mirrors (the
 * `org/name` git repos under `reposDir`, olah's `mirrors/models`):
 *
 * - `search`: a case-insensitive substring of the repo id;
 * - `author`: the repo's organization or user;
 * - `filter` (repeatable): tags the model must all have;
 * - `limit`: the page size, at most 1000 (and at most `maxPageSize`, which
 *   stands in for the Hub's own cap, so a test can cross a page boundary);
 * - pagination through `Link: <…&cursor=…>; rel="next"`, as the Hub does.
 *
 * The order is the repo id's (the Hub's default is by trend). Each model's
 * metadata comes from olah (`/api/models/{repo}/revision/main`), and its
 * tags as the Hub derives them: the model card's `tags`, `pipeline_tag`,
 * `library_name`, `license:` and `language`, and `config.json`'s
 * `model_type`. Every other request goes to olah unchanged.
 */
export interface HubSearch {
  endpoint: string;
  /** The `/api/models` requests it answered, as path and query. */
  requests: string[];
  /** While set, `/api/models` answers 500, as a Hub whose search is down. */
  failing: boolean;
  stop(): Promise<void>;
}

interface Listed {
  _id: string;
  id: string;
  modelId: string;
  likes: number;
  downloads: number;
  tags: string[];
  pipeline_tag?: string;
  library_name?: string;
  private: boolean;
  createdAt?: string;
}

const HUB_MAX_LIMIT = 1000;

const list = (value: unknown): string[] =>
  ([] as unknown[])
    .concat(value ?? [])
    .filter((v): v is string => typeof v === 'string');

async function upstreamJson(url: string): Promise<any | undefined> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (response.ok) return response.json();
  // olah answers 401 or 404 for a repo, revision or file it does not have
  if ([401, 404].includes(response.status)) return undefined;
  throw new Error(`${url}: HTTP ${response.status}`);
}

/** The `org/name` git repos under `reposDir`. */
function repoIds(reposDir: string): string[] {
  const ids: string[] = [];
  for (const org of fs.readdirSync(reposDir)) {
    const orgDir = path.join(reposDir, org);
    if (!fs.statSync(orgDir).isDirectory()) continue;
    for (const name of fs.readdirSync(orgDir)) {
      if (fs.existsSync(path.join(orgDir, name, '.git'))) {
        ids.push(`${org}/${name}`);
      }
    }
  }
  return ids.sort((a, b) => (a < b ? -1 : Number(a > b)));
}

async function describeRepo(upstream: string, id: string): Promise<Listed> {
  const meta = await upstreamJson(`${upstream}/api/models/${id}/revision/main`);
  if (!meta) throw new Error(`olah does not have ${id}`);
  const config = await upstreamJson(
    `${upstream}/${id}/resolve/main/config.json`,
  );
  const card = (meta.cardData ?? {}) as Record<string, unknown>;
  const pipelineTag = list(card.pipeline_tag)[0];
  const libraryName = list(card.library_name)[0];
  const tags = [
    ...list(card.tags),
    ...(libraryName ? [libraryName] : []),
    ...(pipelineTag ? [pipelineTag] : []),
    ...list(config?.model_type),
    ...list(card.license).map(l => `license:${l}`),
    ...list(card.language),
  ];
  return {
    _id: meta._id,
    id,
    modelId: id,
    likes: meta.likes ?? 0,
    downloads: meta.downloads ?? 0,
    tags: [...new Set(tags)],
    ...(pipelineTag ? { pipeline_tag: pipelineTag } : {}),
    ...(libraryName ? { library_name: libraryName } : {}),
    private: !!meta.private,
    createdAt: meta.createdAt,
  };
}

function send(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function searchModels(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  options: { upstream: string; reposDir: string; maxPageSize: number },
) {
  const url = new URL(req.url!, `http://${req.headers.host}`);
  const q = url.searchParams;
  const limit = q.has('limit') ? Number(q.get('limit')) : undefined;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    send(res, 400, { error: `Invalid limit: ${q.get('limit')}` });
    return;
  }
  let offset = 0;
  if (q.has('cursor')) {
    try {
      offset = JSON.parse(
        Buffer.from(q.get('cursor')!, 'base64url').toString(),
      ).offset;
    } catch {
      offset = NaN;
    }
    if (!Number.isInteger(offset) || offset < 0) {
      send(res, 400, { error: 'Invalid cursor' });
      return;
    }
  }
  const search = q.get('search')?.toLowerCase();
  const author = q.get('author')?.toLowerCase();
  const filters = q.getAll('filter');
  let models: Listed[];
  try {
    models = await Promise.all(
      repoIds(options.reposDir).map(id => describeRepo(options.upstream, id)),
    );
  } catch (error) {
    send(res, 502, { error: `upstream: ${(error as Error).message}` });
    return;
  }
  const matches = models.filter(
    m =>
      (!search || m.id.toLowerCase().includes(search)) &&
      (!author || m.id.split('/')[0].toLowerCase() === author) &&
      filters.every(f => m.tags.includes(f)),
  );
  const pageSize = Math.min(
    limit ?? HUB_MAX_LIMIT,
    HUB_MAX_LIMIT,
    options.maxPageSize,
  );
  const page = matches.slice(offset, offset + pageSize);
  const headers: http.OutgoingHttpHeaders = {
    'content-type': 'application/json',
  };
  if (offset + pageSize < matches.length) {
    const next = new URL(url);
    next.searchParams.set(
      'cursor',
      Buffer.from(JSON.stringify({ offset: offset + pageSize })).toString(
        'base64url',
      ),
    );
    headers.link = `<${next}>; rel="next"`;
  }
  res.writeHead(200, headers);
  res.end(JSON.stringify(page));
}

function proxy(
  upstream: URL,
  req: http.IncomingMessage,
  res: http.ServerResponse,
) {
  const out = http.request(
    {
      host: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, host: upstream.host },
    },
    answer => {
      res.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(res);
    },
  );
  out.on('error', error => {
    if (res.headersSent) res.destroy(error);
    else send(res, 502, { error: `upstream: ${error.message}` });
  });
  req.pipe(out);
}

/** Starts the search in front of olah at `upstream`, on a free loopback port. */
export async function startHubSearch(options: {
  /** olah's base URL. */
  upstream: string;
  /** olah's `mirrors/models` folder. */
  reposDir: string;
  /** The largest page it answers; default 1000, as the Hub. */
  maxPageSize?: number;
}): Promise<HubSearch> {
  const upstream = new URL(options.upstream);
  const settings = {
    upstream: options.upstream.replace(/\/+$/, ''),
    reposDir: options.reposDir,
    maxPageSize: options.maxPageSize ?? HUB_MAX_LIMIT,
  };
  const hub: HubSearch = {
    endpoint: '',
    requests: [],
    failing: false,
    stop: async () => {},
  };
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url!, 'http://x').pathname;
    if (req.method === 'GET' && pathname === '/api/models') {
      hub.requests.push(req.url!);
      if (hub.failing) {
        send(res, 500, { error: 'Internal Error - We are working on it' });
        return;
      }
      searchModels(req, res, settings).catch(error =>
        send(res, 500, { error: String(error) }),
      );
      return;
    }
    proxy(upstream, req, res);
  });
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  hub.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  hub.stop = () =>
    new Promise<void>(resolve => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return hub;
}
