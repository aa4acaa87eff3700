import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from './run';

/** The example specs and catalog of the common package. */
export const FIXTURES = path.join(
  path.dirname(require.resolve('@llmops/plugin-llm-ops-common/package.json')),
  'src/specs/__fixtures__',
);

export const fixture = (name: string) => path.join(FIXTURES, name);

/** Runs the CLI and collects what it writes. */
export async function runCli(args: string[], cwd?: string) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    stdout: text => {
      stdout += text;
    },
    stderr: text => {
      stderr += text;
    },
    cwd,
  });
  return { code, stdout, stderr };
}

/** A temporary folder with the given files, removed after the tests. */
export function tempDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'llmops-cli-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}
