import fs from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { fixture, runCli, tempDir } from '../testUtils';

const catalog = fixture('catalog.yaml');
const trainValid = fixture('train-sft.valid.yaml');
const trainText = fs.readFileSync(trainValid, 'utf8');
const train = parse(trainText);

/** A "billion laughs" document: nine levels of nine aliases each. */
const aliasBomb = [
  'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
  ...'bcdefghi'
    .split('')
    .map(
      (name, i) =>
        `${name}: &${name} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`,
    ),
  'kind: TrainJobSpec',
  '',
].join('\n');

const oneMiB = 1024 * 1024;
const nulAt = trainText.indexOf('model_family');
const badByteAt = trainText.indexOf('llama');
const bytes = Buffer.from(trainText, 'utf8');

const dir = tempDir({
  'bomb.yaml': aliasBomb,
  // a valid spec, padded with a comment to one byte above the cap
  'large.yaml': `${trainText}#${'x'.repeat(
    oneMiB - Buffer.byteLength(trainText) - 1,
  )}\n`,
  'trailing.yaml': `${trainText}---\n`,
  'trailing-end.yaml': `---\n${trainText}---\n...\n`,
  'two.yaml': `${trainText}---\n${trainText}---\n`,
  'non-ascii.yaml': stringify({
    ...train,
    dataset_ref: { ...train.dataset_ref, name: 'поддержка-чаты' },
  }),
  'cyrillic.yaml': stringify({
    ...train,
    output: { ...train.output, artifact_name: 'модель-поддержки' },
  }),
  'invisible.yaml': stringify({
    ...train,
    model_family: 'llama\u200b',
    'x\nPASS forged.yaml (TrainJobSpec)\u202e': 1,
  }),
  'catalog/a.yaml': fs.readFileSync(catalog, 'utf8'),
  'catalog/b/again.yml': stringify({
    apiVersion: 'llmops.dev/v1alpha1',
    kind: 'Model',
    metadata: { name: 'llama-3-8b', namespace: 'default' },
    spec: {
      type: 'base',
      family: 'llama',
      owner: 'group:default/ml-platform',
      lifecycle: 'production',
      maxPositionEmbeddings: 8192,
      source: 'hf://meta-llama/Meta-Llama-3-8B-copy',
    },
  }),
  'serverless.yaml': stringify({
    llmOps: { serving: { deploymentMode: 'Serverless' } },
  }),
  'run-incomplete.yaml': stringify({
    experiment_name: 'llmops-llama-sft',
    run_name: 'x',
    params: { lr: '2e-05', batch_size: '8', precision: 'bf16', method: 'lora' },
    tags: {
      'llmops.job_type': 'SFT',
      'llmops.model_family': 'llama',
      'llmops.dataset_ref': 'support-chats',
      'llmops.dataset_version': 'v3',
      'llmops.dataset_type': 'sft_pair',
      'llmops.artifact_name': 'x',
      'llmops.save_format': 'hf',
      'llmops.gpus': '0',
    },
  }),
});
fs.writeFileSync(
  path.join(dir, 'nul.yaml'),
  Buffer.concat([
    bytes.subarray(0, nulAt),
    Buffer.from([0]),
    bytes.subarray(nulAt),
  ]),
);
fs.writeFileSync(
  path.join(dir, 'latin1.yaml'),
  Buffer.concat([
    bytes.subarray(0, badByteAt),
    Buffer.from([0xe9]),
    bytes.subarray(badByteAt),
  ]),
);

const validate = (...files: string[]) =>
  runCli(['validate', '--json', '--catalog', catalog, ...files], dir);

/** The JSON item of each file, by file. */
async function validateJson(...files: string[]) {
  const result = await validate(...files);
  const items: Array<{
    file: string;
    valid: boolean;
    errors: Array<{ path: string; rule: string; message: string }>;
  }> = JSON.parse(result.stdout);
  return { ...result, items: Object.fromEntries(items.map(i => [i.file, i])) };
}

describe('llmops security review', () => {
  it('finding 1: a YAML alias bomb is that file read error, without a stack trace, and the other files are still reported', async () => {
    const { code, stderr, items } = await validateJson('bomb.yaml', trainValid);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^error: bomb\.yaml .*aliases/m);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(items['bomb.yaml'].errors).toEqual([
      {
        path: '',
        rule: 'read',
        message: expect.stringMatching(/aliases expand .* 100 /),
      },
    ]);
    expect(items[trainValid].valid).toBe(true);
  });

  it('finding 2: a file above the 1 MiB cap is a read error naming the limit, /dev/zero included', async () => {
    const { code, items } = await validateJson('large.yaml', trainValid);
    expect(code).toBe(2);
    expect(items['large.yaml'].errors).toEqual([
      {
        path: '',
        rule: 'read',
        message:
          'large.yaml is larger than the limit of 1 MiB (1048576 bytes) per file',
      },
    ]);
    expect(items[trainValid].valid).toBe(true);

    const zero = await runCli(['validate', '/dev/zero']);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain(
      'error: /dev/zero is larger than the limit of 1 MiB',
    );
  });

  it('finding 3: a trailing --- (an empty last document) is accepted', async () => {
    const { code, items } = await validateJson(
      'trailing.yaml',
      'trailing-end.yaml',
      'two.yaml',
    );
    expect(items['trailing.yaml'].valid).toBe(true);
    expect(items['trailing-end.yaml'].valid).toBe(true);
    // two documents are still two, with or without the trailing ---
    expect(items['two.yaml'].errors[0].message).toBe(
      'two.yaml must hold exactly one document, found 2',
    );
    expect(code).toBe(2);
  });

  it('finding 4: invalid UTF-8 and NUL bytes are refused, naming the byte offset', async () => {
    const { code, items } = await validateJson(
      'nul.yaml',
      'latin1.yaml',
      'non-ascii.yaml',
    );
    expect(code).toBe(2);
    expect(items['nul.yaml'].errors[0]).toEqual({
      path: '',
      rule: 'read',
      message: `nul.yaml holds a NUL byte at byte offset ${nulAt}: spec files are UTF-8 text`,
    });
    expect(items['latin1.yaml'].errors[0]).toEqual({
      path: '',
      rule: 'read',
      message: `latin1.yaml is not valid UTF-8: byte 0xe9 at byte offset ${badByteAt} does not start a UTF-8 character`,
    });
    expect(items['non-ascii.yaml'].valid).toBe(true);
  });

  it('finding 5: a Model defined twice in the --catalog files is an error naming its ref', async () => {
    const { code, stderr, stdout } = await runCli(
      ['validate', '--catalog', 'catalog', trainValid],
      dir,
    );
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(
      `error: Model model:default/llama-3-8b is defined twice in the --catalog files, in catalog/a.yaml and in ${path.join(
        'catalog',
        'b',
        'again.yml',
      )}; keep one`,
    );
    // the same file given twice is read once
    const twice = await runCli(
      ['validate', '--catalog', catalog, '--catalog', catalog, trainValid],
      dir,
    );
    expect(twice.code).toBe(0);
  });

  it('finding 6: an artifact_name that cannot name the Model and the Workflow fails validate, naming the field and the rule', async () => {
    const { code, items } = await validateJson('cyrillic.yaml');
    expect(code).toBe(1);
    expect(items['cyrillic.yaml'].errors).toEqual([
      {
        path: 'output.artifact_name',
        rule: 'output.artifact_name_invalid',
        message: expect.stringContaining(
          'output.artifact_name must be 1 to 63 ASCII letters, digits and -, _ or . between them',
        ),
      },
    ]);
    const converted = await runCli(
      ['convert', '--to', 'argo', '--catalog', catalog, 'cyrillic.yaml'],
      dir,
    );
    expect(converted.code).toBe(1);
    expect(converted.stderr).toContain(
      '  - output.artifact_name [output.artifact_name_invalid] ',
    );
  });

  it('finding 7: invisible characters in messages are shown escaped', async () => {
    const text = await runCli(
      ['validate', '--catalog', catalog, 'invisible.yaml'],
      dir,
    );
    expect(text.code).toBe(1);
    expect(text.stdout).not.toMatch(/^PASS forged/m);
    expect(text.stdout).not.toMatch(/[\u200b\u202e]/);
    expect(text.stdout).toContain(
      'x\\u000aPASS forged.yaml (TrainJobSpec)\\u202e is not a known field',
    );
    expect(text.stdout).toContain('model_family "llama\\u200b"');

    const json = await validate('invisible.yaml');
    expect(json.stdout).not.toMatch(/[\u200b\u202e]/);
    // the JSON escapes read back as the characters themselves
    expect(
      JSON.parse(json.stdout)[0].errors.map((e: { path: string }) => e.path),
    ).toContain('x\nPASS forged.yaml (TrainJobSpec)\u202e');
  });

  it('finding 8: convert --from validates the spec it reads back, as validate does', async () => {
    const to = await runCli(
      [
        'convert',
        '--to',
        'kserve',
        '--config',
        'serverless.yaml',
        '--catalog',
        catalog,
        '--storage-uri',
        's3://models/mistral-7b-rag',
        fixture('deployment-bluegreen.valid.yaml'),
      ],
      dir,
    );
    expect(to.code).toBe(0);
    const manifest = parse(to.stdout);
    manifest.spec.predictor.canaryTrafficPercent = 50;
    fs.writeFileSync(path.join(dir, 'isvc-50.yaml'), stringify(manifest));

    const back = await runCli(
      ['convert', '--from', 'kserve', '--catalog', catalog, 'isvc-50.yaml'],
      dir,
    );
    expect(back.code).toBe(1);
    expect(back.stdout).toBe('');
    expect(back.stderr).toContain(
      'rollout.traffic_split [rollout.traffic_split_invalid] blue-green rollouts switch traffic as a whole',
    );
  });

  it('finding 8: convert --from reads GPUs from resources.requests when there are no limits', async () => {
    const to = await runCli(
      ['convert', '--to', 'argo', '--catalog', catalog, trainValid],
      dir,
    );
    const workflow = parse(to.stdout);
    const container = workflow.spec.templates.find(
      (t: { name: string }) => t.name === 'train-node',
    ).container;
    delete container.resources.limits;
    fs.writeFileSync(path.join(dir, 'requests.yaml'), stringify(workflow));

    const back = await runCli(
      ['convert', '--from', 'argo', '--catalog', catalog, 'requests.yaml'],
      dir,
    );
    expect(back.stderr).toBe('');
    expect(back.code).toBe(0);
    expect(parse(back.stdout).resources).toEqual(train.resources);
  });

  it('finding 8: convert --from reports every missing field of a manifest at once', async () => {
    const back = await runCli(
      ['convert', '--from', 'mlflow', 'run-incomplete.yaml'],
      dir,
    );
    expect(back.code).toBe(1);
    for (const missing of [
      'params["num_epochs"] is missing',
      'params["max_seq_len"] is missing',
      'tags["llmops.dataset_uri"] is missing',
      'tags["llmops.nodes"] is missing',
    ]) {
      expect(back.stderr).toContain(`error: run-incomplete.yaml: ${missing}`);
    }
  });
});
