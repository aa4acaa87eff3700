import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fixture } from './testUtils';

const bin = path.resolve(__dirname, '../bin/llmops');

/** Runs the real `bin/llmops` with this Node binary. */
function llmops(args: string[]) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('bin/llmops', () => {
  it('exits 0, 1 and 2, and prints the --json array', () => {
    const catalog = ['--catalog', fixture('catalog.yaml')];
    const valid = fixture('train-sft.valid.yaml');
    const invalid = fixture('deployment.invalid.yaml');

    expect(llmops(['validate', ...catalog, valid])).toEqual(
      expect.objectContaining({ code: 0, stderr: '' }),
    );

    const failed = llmops(['validate', '--json', ...catalog, valid, invalid]);
    expect(failed.code).toBe(1);
    const items = JSON.parse(failed.stdout);
    expect(
      items.map((i: { file: string; kind: string; valid: boolean }) => [
        i.file,
        i.kind,
        i.valid,
      ]),
    ).toEqual([
      [valid, 'TrainJobSpec', true],
      [invalid, 'DeploymentSpec', false],
    ]);
    expect(items[1].errors[0]).toEqual({
      path: expect.any(String),
      rule: expect.any(String),
      message: expect.any(String),
    });

    const missing = llmops(['validate', 'no/such/file.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read no/such/file.yaml');
  }, 120_000);
});
