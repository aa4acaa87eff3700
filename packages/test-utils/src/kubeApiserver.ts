import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  Peer,
  answers,
  fixturesDir,
  freePort,
  onFreePort,
  repoRoot,
  startPeer,
  tempDir,
} from './peers';

/** A running Kubernetes API server for CRDs, reached over plain HTTP with a bearer token. */
export interface KubeApiserver {
  url: string;
  token: string;
  /** Calls the API with the token; returns status and parsed body. */
  call(
    method: string,
    apiPath: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

/**
 * Starts etcd (Debian `etcd-server`) and the apiextensions-apiserver built
 * by `scripts/peers/kube-apiserver.sh`, each on free loopback ports, and
 * installs the given CRD fixtures, waiting until each is served.
 */
export async function startKubeApiserver(
  crdFixtures: string[],
): Promise<KubeApiserver> {
  const bin = path.join(repoRoot(), '.llmops-test/bin/kube-apiserver');
  if (!fs.existsSync(bin))
    throw new Error(`${bin} is missing: run scripts/peers/kube-apiserver.sh`);
  const dir = tempDir('kube');
  let etcdUrl = '';
  const peers: Peer[] = [];
  const stop = async () => {
    for (const p of peers.reverse()) await p.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    peers.push(
      await onFreePort(async client => {
        const peerPort = await freePort();
        etcdUrl = `http://127.0.0.1:${client}`;
        return startPeer(
          'etcd',
          [
            '--data-dir',
            path.join(dir, `etcd-${client}`),
            '--listen-client-urls',
            etcdUrl,
            '--advertise-client-urls',
            etcdUrl,
            '--listen-peer-urls',
            `http://127.0.0.1:${peerPort}`,
            '--initial-advertise-peer-urls',
            `http://127.0.0.1:${peerPort}`,
            '--initial-cluster',
            `default=http://127.0.0.1:${peerPort}`,
            // the full Argo Workflow CRD is bigger than the 1.5 MiB default
            '--max-request-bytes',
            String(32 * 1024 * 1024),
          ],
          answers(`${etcdUrl}/health`),
        );
      }),
    );
    const info = path.join(dir, 'apiserver.json');
    peers.push(
      await startPeer(
        bin,
        ['-etcd', etcdUrl, '-info', info],
        async () => fs.existsSync(info),
        {
          timeoutMs: 120_000,
        },
      ),
    );
    const { url, token } = JSON.parse(fs.readFileSync(info, 'utf8'));
    const call: KubeApiserver['call'] = async (method, apiPath, body) => {
      const response = await fetch(`${url}${apiPath}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // keep the text
      }
      return { status: response.status, body: parsed };
    };
    for (const fixture of crdFixtures) {
      const crd = parse(
        fs.readFileSync(path.join(fixturesDir(), fixture), 'utf8'),
      );
      const created = await call(
        'POST',
        '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
        crd,
      );
      if (created.status !== 201) {
        throw new Error(
          `installing ${fixture}: ${created.status} ${JSON.stringify(
            created.body,
          ).slice(0, 500)}`,
        );
      }
      const version = crd.spec.versions.find(
        (v: { storage: boolean }) => v.storage,
      ).name;
      const groupVersion = `/apis/${crd.spec.group}/${version}`;
      const deadline = Date.now() + 30_000;
      for (;;) {
        const served = await call('GET', groupVersion);
        if (
          served.status === 200 &&
          served.body.resources?.some(
            (r: { name: string }) => r.name === crd.spec.names.plural,
          )
        )
          break;
        if (Date.now() > deadline)
          throw new Error(`${fixture} is not served at ${groupVersion}`);
        await new Promise(r => setTimeout(r, 200));
      }
    }
    return { url, token, call, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
