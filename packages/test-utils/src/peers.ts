import { ChildProcess, execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** Whether the peer tests run: `make test` sets `LLMOPS_PEERS=1`. */
export const peersEnabled = !!process.env.LLMOPS_PEERS;

/**
 * `describe` for a test that needs a real tool: skipped, with a message,
 * when `LLMOPS_PEERS` is unset. When it is set and the tool cannot start,
 * the tests fail.
 */
export function describePeer(name: string, fn: () => void) {
  if (!peersEnabled) {
    // eslint-disable-next-line no-console
    console.log(
      `skipping "${name}": set LLMOPS_PEERS=1 (after scripts/peers/python-venv.sh) to run it against the real tool`,
    );
  }
  const describeOrSkip = peersEnabled ? describe : describe.skip;
  describeOrSkip(name, fn);
}

/** The repository root: the folder holding `backstage.json`. */
export function repoRoot(): string {
  // Test helpers run from their sources, so __dirname is the checkout's.
  // eslint-disable-next-line no-restricted-syntax
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'backstage.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no backstage.json above ${dir}`);
    dir = parent;
  }
  return dir;
}

/** The upstream fixtures: `$LLMOPS_FIXTURES_DIR`, else the repository's `fixtures/upstream`. */
export function fixturesDir(): string {
  return process.env.LLMOPS_FIXTURES_DIR
    ? path.resolve(process.env.LLMOPS_FIXTURES_DIR)
    : path.join(repoRoot(), 'fixtures/upstream');
}

/** A program of the test virtualenv (`scripts/peers/python-venv.sh`). */
export function venvBin(name: string): string {
  const venv =
    process.env.LLMOPS_VENV ?? path.join(repoRoot(), '.llmops-test/venv');
  const bin = path.join(venv, 'bin', name);
  if (!fs.existsSync(bin)) {
    throw new Error(`${bin} is missing: run scripts/peers/python-venv.sh`);
  }
  return bin;
}

/** A fresh temporary folder. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `llmops-${prefix}-`));
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a peer on a free port, and on another one if the port was taken
 * before the peer bound it (a slow peer, such as MLflow, binds seconds
 * after `freePort` found the port free, while other test files run). A
 * `fixed` port (bringing a stopped peer back) is retried as is.
 */
export async function onFreePort<T>(
  start: (port: number) => Promise<T>,
  fixed?: number,
  attempts = 4,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const port = fixed ?? (await freePort());
    try {
      return await start(port);
    } catch (error) {
      const taken = /address already in use|EADDRINUSE/i.test(String(error));
      if (!taken || attempt >= attempts) throw error;
      if (fixed) await new Promise(r => setTimeout(r, 1000));
    }
  }
}

/** Runs a command; returns its stdout, or throws with its stderr. */
export async function sh(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  try {
    const { stdout } = await exec(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(
      `${command} ${args.join(' ')} failed:\n${stderr || stdout || error}`,
    );
  }
}

/** Runs a Python snippet in the venv; `argv[1]` is `input` as JSON; returns its stdout as JSON. */
export async function python<T>(
  script: string,
  input: unknown,
  env?: NodeJS.ProcessEnv,
): Promise<T> {
  const out = await sh(
    venvBin('python'),
    ['-c', script, JSON.stringify(input)],
    { env },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}

const liveGroups = new Set<number>();
let exitHookInstalled = false;

/** `scripts/peers/guard.sh`, and a hook that ends every live peer group on exit. */
function guardScript(): string {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const pgid of liveGroups) {
        try {
          process.kill(-pgid, 'SIGKILL');
        } catch {
          // gone already
        }
      }
    });
  }
  return path.join(repoRoot(), 'scripts/peers/guard.sh');
}

/** A peer process, started in its own process group. */
export interface Peer {
  process: ChildProcess;
  /** Its output so far, for failure messages. */
  logs(): string;
  /** Stops the whole group and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * Starts a peer and waits until `ready()` resolves true; throws (with the
 * peer's output) if it exits first or is not ready within `timeoutMs`.
 */
export async function startPeer(
  command: string,
  args: string[],
  ready: () => Promise<boolean>,
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<Peer> {
  // Its own process group, watched by guard.sh: the group ends when this
  // process does, however it ends.
  const child = spawn(guardScript(), [String(process.pid), command, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  liveGroups.add(child.pid!);
  child.once('exit', () => liveGroups.delete(child.pid!));
  let output = '';
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );
  const peer: Peer = {
    process: child,
    logs: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        return;
      }
      const killed = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // gone already
        }
      }, 5000);
      await exited;
      clearTimeout(killed);
    },
  };
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`${command} exited with ${child.exitCode}:\n${output}`);
    }
    if (await ready().catch(() => false)) return peer;
    await new Promise(r => setTimeout(r, 250));
  }
  await peer.stop();
  throw new Error(`${command} was not ready in time:\n${output}`);
}

/** A readiness check: the URL answers 2xx. */
export const answers = (url: string, init?: RequestInit) => async () =>
  (await fetch(url, { ...init, signal: AbortSignal.timeout(2000) })).ok;
