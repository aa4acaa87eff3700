import path from 'node:path';
import {
  Peer,
  answers,
  onFreePort,
  startPeer,
  tempDir,
  venvBin,
} from './peers';

/** A real MLflow server (from the test virtualenv) and where it keeps its data. */
export interface MlflowPeer extends Peer {
  uri: string;
  port: number;
  dir: string;
}

/**
 * Starts `mlflow server` with a SQLite backend and a local artifact root on
 * a loopback port. Pass the `port` and `dir` of a stopped one to bring the
 * same server back with its data.
 */
export async function startMlflow(
  options: { port?: number; dir?: string } = {},
): Promise<MlflowPeer> {
  const dir = options.dir ?? tempDir('mlflow');
  return onFreePort(async port => {
    const uri = `http://127.0.0.1:${port}`;
    const peer = await startPeer(
      venvBin('mlflow'),
      [
        'server',
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--workers',
        '1',
        '--backend-store-uri',
        `sqlite:///${path.join(dir, 'mlflow.db')}`,
        '--default-artifact-root',
        `file://${path.join(dir, 'artifacts')}`,
      ],
      answers(`${uri}/health`),
      // a fresh MLflow imports for a minute or more on a loaded 2-core machine
      { cwd: dir, timeoutMs: 240_000 },
    );
    return Object.assign(peer, { uri, port, dir });
  }, options.port);
}
