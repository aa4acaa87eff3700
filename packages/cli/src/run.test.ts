import fs from 'node:fs';
import { parse, stringify } from 'yaml';
import { fixture, runCli, tempDir } from './testUtils';

const catalog = fixture('catalog.yaml');
const trainValid = fixture('train-sft.valid.yaml');
const trainInvalid = fixture('train.invalid.yaml');
const canary = fixture('deployment-canary.valid.yaml');
const blueGreen = fixture('deployment-bluegreen.valid.yaml');

const dir = tempDir({
  'broken.yaml': 'kind: TrainJobSpec\njob_type: [SFT\n',
  'unknown-kind.yaml': 'kind: Pipeline\n',
  'no-kind.yaml': 'job_type: SFT\n',
  'two.yaml': 'kind: TrainJobSpec\n---\nkind: TrainJobSpec\n',
  'spec.json': JSON.stringify(parse(fs.readFileSync(trainValid, 'utf8'))),
  'catalog/models/base.yaml': fs.readFileSync(catalog, 'utf8'),
  'catalog/notes.txt': 'not yaml: [',
  'catalog/bad-model.yml': stringify({
    apiVersion: 'llmops.dev/v1alpha1',
    kind: 'Model',
    metadata: { name: 'broken' },
    spec: { type: 'base', family: 'llama' },
  }),
});

describe('llmops validate', () => {
  it('exits 0 and says PASS when every file is valid', async () => {
    const result = await runCli([
      'validate',
      '--catalog',
      catalog,
      trainValid,
      canary,
      blueGreen,
    ]);
    expect(result).toEqual({
      code: 0,
      stdout: [
        `PASS ${trainValid} (TrainJobSpec)`,
        `PASS ${canary} (DeploymentSpec)`,
        `PASS ${blueGreen} (DeploymentSpec)`,
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  it('exits 1 and lists every error of an invalid file', async () => {
    const { code, stdout } = await runCli([
      'validate',
      '--catalog',
      catalog,
      trainValid,
      trainInvalid,
    ]);
    expect(code).toBe(1);
    expect(stdout).toContain(`FAIL ${trainInvalid} (TrainJobSpec): 9 errors`);
    expect(stdout).toContain(
      '  - hyperparams.lr [schema] hyperparams.lr must be a positive number, got -1',
    );
  });

  it('prints one JSON item per file with --json', async () => {
    const { code, stdout, stderr } = await runCli([
      'validate',
      '--json',
      '--catalog',
      catalog,
      trainValid,
      fixture('deployment.invalid.yaml'),
    ]);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    const items = JSON.parse(stdout);
    expect(items).toEqual([
      { file: trainValid, kind: 'TrainJobSpec', valid: true, errors: [] },
      {
        file: fixture('deployment.invalid.yaml'),
        kind: 'DeploymentSpec',
        valid: false,
        errors: expect.arrayContaining([
          {
            path: 'serve_image',
            rule: 'serve_image.override_forbidden',
            message: expect.any(String),
          },
        ]),
      },
    ]);
    for (const error of items[1].errors) {
      expect(Object.keys(error).sort()).toEqual(['message', 'path', 'rule']);
    }
  });

  it('reports unresolved references without --catalog', async () => {
    const { code, stdout } = await runCli([
      'validate',
      '--json',
      trainValid,
      canary,
    ]);
    expect(code).toBe(1);
    expect(
      JSON.parse(stdout).map((i: { errors: Array<{ rule: string }> }) =>
        i.errors.map(e => e.rule),
      ),
    ).toEqual([['base_model_ref.unresolved'], ['model_ref.unresolved']]);
  });

  it('reads catalog folders recursively, warning about invalid Models', async () => {
    const { code, stderr } = await runCli(
      ['validate', '--catalog', 'catalog', trainValid],
      dir,
    );
    expect(code).toBe(0);
    expect(stderr).toMatch(
      /^warning: catalog\/bad-model\.yml: skipped Model broken, which is invalid: /,
    );
  });

  it('validates JSON files, relative to the working folder', async () => {
    expect(
      (await runCli(['validate', '--catalog', catalog, 'spec.json'], dir)).code,
    ).toBe(0);
  });

  it.each([
    ['missing.yaml', 'read', /cannot read missing\.yaml: no such file/],
    ['broken.yaml', 'read', /broken\.yaml is not valid YAML/],
    ['two.yaml', 'read', /two\.yaml must hold exactly one document, found 2/],
    [
      'unknown-kind.yaml',
      'schema',
      /kind must be TrainJobSpec or DeploymentSpec, got "Pipeline"/,
    ],
    [
      'no-kind.yaml',
      'schema',
      /kind must be TrainJobSpec or DeploymentSpec, got nothing/,
    ],
  ])(
    'exits 2 for %s, and still reports the other files',
    async (file, rule, message) => {
      const { code, stdout, stderr } = await runCli(
        ['validate', '--json', '--catalog', catalog, file, trainValid],
        dir,
      );
      expect(code).toBe(2);
      expect(stderr).toMatch(message);
      const [item, other] = JSON.parse(stdout);
      expect(item).toEqual({
        file,
        kind: file === 'unknown-kind.yaml' ? 'Pipeline' : null,
        valid: false,
        errors: [
          {
            path: expect.any(String),
            rule,
            message: expect.stringMatching(message),
          },
        ],
      });
      expect(other.valid).toBe(true);
    },
  );

  it.each([
    [['validate'], /missing required argument 'files'/],
    [['validate', '--strict', trainValid], /unknown option '--strict'/],
    [
      ['validate', '--catalog', 'nowhere', trainValid],
      /cannot read catalog nowhere: no such file/,
    ],
    [['lint', trainValid], /unknown command 'lint'/],
    [[], /Usage: llmops/],
  ])('exits 2 for the usage error of %j', async (args, message) => {
    const { code, stderr } = await runCli(args, dir);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('exits 0 for --help', async () => {
    const { code, stdout } = await runCli(['validate', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--catalog <path>');
  });
});

describe('llmops convert', () => {
  const convert = async (args: string[]) => {
    const result = await runCli(['convert', ...args], dir);
    return {
      ...result,
      doc: result.code === 0 ? parse(result.stdout) : undefined,
    };
  };

  it('converts a TrainJobSpec to an Argo Workflow and back', async () => {
    const to = await convert([
      '--to',
      'argo',
      '--catalog',
      catalog,
      trainValid,
    ]);
    expect(to).toEqual(expect.objectContaining({ code: 0, stderr: '' }));
    expect(to.doc).toEqual(
      expect.objectContaining({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Workflow',
      }),
    );
    fs.writeFileSync(`${dir}/workflow.yaml`, to.stdout);
    const back = await convert(['--from', 'argo', 'workflow.yaml']);
    expect(back.code).toBe(0);
    expect(back.doc).toEqual(parse(fs.readFileSync(trainValid, 'utf8')));
  });

  it('converts to MLflow without a catalog, warning that the base model was not checked', async () => {
    const to = await convert(['--to', 'mlflow', trainValid]);
    expect(to.code).toBe(0);
    expect(to.doc).toEqual(
      expect.objectContaining({ experiment_name: 'llmops-llama-sft' }),
    );
    expect(to.stderr).toMatch(/base_model_ref is not in the catalog/);
    fs.writeFileSync(`${dir}/run.yaml`, to.stdout);
    expect((await convert(['--from', 'mlflow', 'run.yaml'])).doc).toEqual(
      parse(fs.readFileSync(trainValid, 'utf8')),
    );
  });

  it.each([
    ['kserve', 'InferenceService', canary],
    ['rayservice', 'RayService', blueGreen],
  ])('converts a DeploymentSpec to %s and back', async (format, kind, file) => {
    const to = await convert(['--to', format, '--catalog', catalog, file]);
    expect(to.code).toBe(0);
    expect(to.doc.kind).toBe(kind);
    fs.writeFileSync(`${dir}/${format}.yaml`, to.stdout);
    const back = await convert(['--from', format, `${format}.yaml`]);
    expect(back.doc).toEqual(parse(fs.readFileSync(file, 'utf8')));
  });

  it('takes the storage URI from the catalog', async () => {
    const { doc } = await convert([
      '--to',
      'kserve',
      '--catalog',
      catalog,
      canary,
    ]);
    expect(doc.spec.predictor.model.storageUri).toBe(
      'mlflow://models/llama-3-8b-sft/3',
    );
  });

  it('exits 2 when the model of a deployment is not in the catalog', async () => {
    const result = await convert(['--to', 'kserve', canary]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /model_ref is not in the catalog; pass the catalog holding the Model with --catalog/,
    );
  });

  it('exits 1 with the errors of an invalid spec', async () => {
    const result = await convert([
      '--to',
      'argo',
      '--catalog',
      catalog,
      trainInvalid,
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('[dataset_ref.type_mismatch]');
  });

  it('exits 1 naming the field when a manifest cannot be read back', async () => {
    const result = await convert(['--from', 'kserve', trainValid]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /expected a InferenceService of serving\.kserve\.io\/v1beta1/,
    );
  });

  it.each([
    [
      ['--to', 'kserve', trainValid],
      /--to kserve converts a DeploymentSpec, but .* is a TrainJobSpec/,
    ],
    [[trainValid], /exactly one of --to <format> and --from <format>/],
    [['--to', 'argo', '--from', 'argo', trainValid], /exactly one of --to/],
    [['--to', 'slurm', trainValid], /argument 'slurm' is invalid/],
    [['--to', 'argo', 'missing.yaml'], /cannot read missing\.yaml/],
    [
      ['--to', 'argo', 'unknown-kind.yaml'],
      /kind must be TrainJobSpec or DeploymentSpec/,
    ],
    [['--to', 'argo'], /missing required argument 'file'/],
  ])('exits 2 for %j', async (args, message) => {
    const result = await convert(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
