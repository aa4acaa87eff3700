import fs from 'node:fs';
import path from 'node:path';
import { Peer, answers, onFreePort, startPeer, venvBin } from './peers';

/** A running olah Hub mirror, and its address. */
export interface OlahPeer extends Peer {
  endpoint: string;
}

/**
 * Starts olah (from the test virtualenv) in offline mirror mode, serving the
 * local git model repositories under `<dir>/mirrors/models/<org>/<name>`
 * through the Hub's HTTP API, on a free loopback port. Ready once it
 * serves `readyRepo`'s main revision.
 */
export function startOlah(dir: string, readyRepo: string): Promise<OlahPeer> {
  return onFreePort(async port => {
    const endpoint = `http://127.0.0.1:${port}`;
    const toml = path.join(dir, 'olah.toml');
    fs.writeFileSync(
      toml,
      [
        '[basic]',
        'host = "127.0.0.1"',
        `port = ${port}`,
        `mirror-netloc = "127.0.0.1:${port}"`,
        `mirror-lfs-netloc = "127.0.0.1:${port}"`,
        `repos-path = ${JSON.stringify(path.join(dir, 'repos'))}`,
        `mirrors-path = [${JSON.stringify(path.join(dir, 'mirrors'))}]`,
        '[accessibility]',
        'offline = true',
      ].join('\n'),
    );
    const peer = await startPeer(
      venvBin('olah-cli'),
      ['--config', toml, '--log-path', path.join(dir, 'logs')],
      answers(`${endpoint}/api/models/${readyRepo}/revision/main`),
      { cwd: dir },
    );
    return Object.assign(peer, { endpoint });
  });
}
