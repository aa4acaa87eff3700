import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startPeer, tempDir } from './peers';

const groupAlive = (pgid: number) => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(check: () => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise(r => setTimeout(r, 200));
  }
  return true;
}

describe('startPeer', () => {
  it('reports the exit code of a peer that exits before it is ready', async () => {
    await expect(
      startPeer('sh', ['-c', 'echo broken >&2; exit 3'], async () => false),
    ).rejects.toThrow(/exited with 3:\nbroken/);
  });

  it('stops the whole process group', async () => {
    const peer = await startPeer(
      'sh',
      ['-c', 'sleep 300 & sleep 300'],
      async () => true,
    );
    const pgid = peer.process.pid!;
    expect(groupAlive(pgid)).toBe(true);
    await peer.stop();
    expect(await until(() => !groupAlive(pgid), 10_000)).toBe(true);
  });

  it('ends the peers of a test process that is killed outright', async () => {
    const dir = tempDir('guard');
    const script = path.join(dir, 'parent.ts');
    const out = path.join(dir, 'pgid');
    fs.writeFileSync(
      script,
      `import fs from 'node:fs';
       import { startPeer } from ${JSON.stringify(path.join(__dirname, 'peers'))};
       startPeer('sh', ['-c', 'sleep 300 & sleep 300'], async () => true).then(p => {
         fs.writeFileSync(${JSON.stringify(out)}, String(p.process.pid));
         setInterval(() => {}, 1000);
       });`,
    );
    const parent = spawn(
      process.execPath,
      ['-r', require.resolve('@backstage/cli/config/nodeTransform.cjs'), script],
      { stdio: 'ignore' },
    );
    try {
      expect(await until(() => fs.existsSync(out), 30_000)).toBe(true);
      const pgid = Number(fs.readFileSync(out, 'utf8'));
      expect(groupAlive(pgid)).toBe(true);
      // SIGKILL: no exit handler runs; the guard notices the parent is gone.
      parent.kill('SIGKILL');
      expect(await until(() => !groupAlive(pgid), 15_000)).toBe(true);
    } finally {
      parent.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
