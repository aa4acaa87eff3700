import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { parse, stringify } from 'yaml';
import { fixture, runCli, tempDir } from './testUtils';

const catalog = fixture('catalog.yaml');
const trainValid = fixture('train-sft.valid.yaml');
const trainInvalid = fixture('train.invalid.yaml');
const canary = fixture('deployment-canary.valid.yaml');
const blueGreen = fixture('deployment-bluegreen.valid.yaml');
const rolling = fixture('deployment-rolling.valid.yaml');
/** Where MLflow keeps the artifacts of llama-3-8b-sft version 3 (the catalog's mlflow:// source). */
const artifacts = 's3://mlflow/3/0a1b2c/artifacts/model';

const dir = tempDir({
  'broken.yaml': 'kind: TrainJobSpec\njob_type: [SFT\n',
  'unknown-kind.yaml': 'kind: Pipeline\n',
  'no-kind.yaml': 'job_type: SFT\n',
  'two.yaml': 'kind: TrainJobSpec\n---\nkind: TrainJobSpec\n',
  'spec.json': JSON.stringify(parse(fs.readFileSync(trainValid, 'utf8'))),
  'catalog/models/base.yaml': fs.readFileSync(catalog, 'utf8'),
  'catalog/notes.txt': 'not yaml: [',
  'app-config.yaml': stringify({
    llmOps: {
      environment: 'stg',
      integrations: {
        argo: { baseUrl: 'http://argo:2746', namespace: 'training' },
        kserve: { cluster: 'gpu' },
      },
      training: { activeDeadlineSeconds: 3600 },
      serving: { resourcesPerGpu: { cpu: 6, memoryGb: 40 } },
      environments: {
        prod: {
          training: { serviceAccountName: 'llmops-training' },
          serving: {
            serviceAccountName: 'llmops-serving',
            deploymentMode: 'Serverless',
            secrets: { hfToken: { name: 'hf-token', key: 'HF_TOKEN' } },
          },
        },
      },
    },
  }),
  'app-config.local.yaml': stringify({
    llmOps: { integrations: { kserve: { namespace: 'serving' } } },
  }),
  'bad-config.yaml': stringify({
    llmOps: { serving: { deploymentMode: 'Standard' } },
  }),
  'unknown-gpu.yaml': stringify({
    ...parse(fs.readFileSync(trainValid, 'utf8')),
    resources: { gpus: 4, gpu_type: 'A100-80GB', nodes: 1 },
  }),
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
    ['kserve', 'InferenceService'],
    ['rayservice', 'RayService'],
  ])(
    'converts a rolling DeploymentSpec to %s and back',
    async (format, kind) => {
      const to = await convert([
        '--to',
        format,
        '--catalog',
        catalog,
        '--storage-uri',
        artifacts,
        rolling,
      ]);
      expect(to).toEqual(expect.objectContaining({ code: 0, stderr: '' }));
      expect(to.doc.kind).toBe(kind);
      fs.writeFileSync(`${dir}/${format}.yaml`, to.stdout);
      const back = await convert(['--from', format, `${format}.yaml`]);
      expect(back.doc).toEqual(parse(fs.readFileSync(rolling, 'utf8')));
    },
  );

  it('deploys to KServe in RawDeployment mode unless configured, refusing a canary split there', async () => {
    const refused = await convert([
      '--to',
      'kserve',
      '--catalog',
      catalog,
      '--storage-uri',
      artifacts,
      canary,
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'rollout.strategy [rollout.split_unsupported_in_raw_deployment] rollout.strategy canary splits traffic',
    );
    const plain = await convert([
      '--to',
      'kserve',
      '--catalog',
      catalog,
      '--storage-uri',
      artifacts,
      rolling,
    ]);
    expect(
      plain.doc.metadata.annotations['serving.kserve.io/deploymentMode'],
    ).toBe('RawDeployment');
    expect(plain.doc.spec.predictor).not.toHaveProperty('canaryTrafficPercent');
    expect(plain.doc.spec.predictor).not.toHaveProperty('containerConcurrency');
  });

  it('converts a canary in the Serverless environment of --config, with its service account and Secret reference', async () => {
    const to = await convert([
      '--to',
      'kserve',
      '--catalog',
      catalog,
      '--config',
      'app-config.yaml',
      '--config',
      'app-config.local.yaml',
      '--environment',
      'prod',
      '--storage-uri',
      artifacts,
      '--name',
      'support-bot',
      canary,
    ]);
    expect(to).toEqual(expect.objectContaining({ code: 0, stderr: '' }));
    expect(to.doc.metadata).toEqual(
      expect.objectContaining({ name: 'support-bot', namespace: 'serving' }),
    );
    expect(to.doc.metadata.annotations).toEqual(
      expect.objectContaining({
        'serving.kserve.io/deploymentMode': 'Serverless',
      }),
    );
    const { predictor } = to.doc.spec;
    expect(predictor).toEqual(
      expect.objectContaining({
        serviceAccountName: 'llmops-serving',
        canaryTrafficPercent: 10,
        containerConcurrency: 64,
      }),
    );
    expect(predictor.model.storageUri).toBe(artifacts);
    expect(predictor.model.env).toEqual([
      {
        name: 'HF_TOKEN',
        valueFrom: { secretKeyRef: { name: 'hf-token', key: 'HF_TOKEN' } },
      },
    ]);
    expect(predictor.model.resources.limits).toEqual({
      cpu: '6',
      memory: '40Gi',
      'nvidia.com/gpu': '1',
    });
    fs.writeFileSync(`${dir}/canary-isvc.yaml`, to.stdout);
    const back = await convert(['--from', 'kserve', 'canary-isvc.yaml']);
    expect(back.doc).toEqual(parse(fs.readFileSync(canary, 'utf8')));
  });

  it('refuses a split on a RayService, saying what KubeRay does', async () => {
    const result = await convert([
      '--to',
      'rayservice',
      '--catalog',
      catalog,
      blueGreen,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      '[rollout.split_unsupported_by_rayservice]',
    );
    expect(result.stderr).toContain('(NewCluster)');
  });

  it('names the Workflow after --job-id as the portal does, with the settings of --config', async () => {
    const jobId = '0d9c6f1e-3b1a-4c52-9f3e-2f6f1b2a7c41';
    const to = await convert([
      '--to',
      'argo',
      '--catalog',
      catalog,
      '--config',
      'app-config.yaml',
      '--environment',
      'prod',
      '--job-id',
      jobId,
      trainValid,
    ]);
    expect(to).toEqual(expect.objectContaining({ code: 0, stderr: '' }));
    const hash = createHash('sha256').update(jobId).digest('hex').slice(0, 8);
    expect(to.doc.metadata).toEqual(
      expect.objectContaining({
        name: `llmops-${jobId}-${hash}`,
        namespace: 'training',
        annotations: expect.objectContaining({ 'llmops.dev/job-id': jobId }),
      }),
    );
    expect(to.doc.metadata.generateName).toBeUndefined();
    expect(to.doc.spec).toEqual(
      expect.objectContaining({
        serviceAccountName: 'llmops-training',
        activeDeadlineSeconds: 3600,
      }),
    );
    // the stg environment of llmOps.environment has no service account
    const stg = await convert([
      '--to',
      'argo',
      '--config',
      'app-config.yaml',
      trainValid,
    ]);
    expect(stg.doc.spec.serviceAccountName).toBeUndefined();
    expect(stg.doc.metadata.generateName).toBe('llama-3-8b-support-sft-');
  });

  it('refuses an mlflow:// model on KServe without --storage-uri', async () => {
    const result = await convert([
      '--to',
      'kserve',
      '--catalog',
      catalog,
      rolling,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'which KServe cannot download: its storage initializer takes gs, s3',
    );
  });

  it('exits 1 for a GPU type no node is labelled with', async () => {
    const result = await convert([
      '--to',
      'argo',
      '--catalog',
      catalog,
      'unknown-gpu.yaml',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'resources.gpu_type [resources.gpu_type_unknown] resources.gpu_type "A100-80GB" is not a known GPU type (did you mean nvidia-a100-80gb?)',
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
    [
      ['--to', 'kserve', '--job-id', 'j', rolling],
      /--job-id applies to --to argo, not --to kserve/,
    ],
    [
      ['--to', 'argo', '--storage-uri', 's3://x', trainValid],
      /--storage-uri applies to --to kserve and rayservice, not --to argo/,
    ],
    [
      ['--to', 'argo', '--environment', 'qa', trainValid],
      /argument 'qa' is invalid/,
    ],
    [
      ['--to', 'argo', '--config', 'bad-config.yaml', trainValid],
      /bad-config\.yaml: Invalid configuration at llmOps\.serving\.deploymentMode/,
    ],
    [
      ['--to', 'argo', '--config', 'missing-config.yaml', trainValid],
      /cannot read missing-config\.yaml/,
    ],
  ])('exits 2 for %j', async (args, message) => {
    const result = await convert(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
