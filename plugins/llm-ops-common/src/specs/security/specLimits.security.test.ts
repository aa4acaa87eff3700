import { readSpecsConfig } from '../readSpecsConfig';
import { validateSpec } from '../validateSpec';
import {
  catalogResolver,
  errorsOf,
  validDeployment,
  validTrainJob,
} from '../__testUtils__/builders';

const options = { resolver: catalogResolver };

/** A valid SFT job with some fields replaced. */
function job(patch: {
  resources?: object;
  hyperparams?: object;
  dataset_ref?: object;
}) {
  const spec = validTrainJob();
  return {
    ...spec,
    resources: { ...spec.resources, ...patch.resources },
    hyperparams: { ...spec.hyperparams, ...patch.hyperparams },
    dataset_ref: { ...spec.dataset_ref, ...patch.dataset_ref },
  };
}

const errors = async (doc: unknown, extra: object = {}) =>
  errorsOf(await validateSpec(doc, { ...options, ...extra }));

describe('spec limits', () => {
  it('spec limits: resources.nodes above 512 is resources.nodes_exceeds_limit', async () => {
    expect(await errors(job({ resources: { nodes: 512 } }))).toEqual([]);
    expect(await errors(job({ resources: { nodes: 513 } }))).toEqual([
      {
        path: 'resources.nodes',
        rule: 'resources.nodes_exceeds_limit',
        message:
          'resources.nodes 513 is above the limit of 512 nodes; set it to 512 or less, or raise llmOps.specLimits.maxNodes',
      },
    ]);
  });

  it('spec limits: resources.gpus above 16 per node or replica is resources.gpus_exceeds_limit', async () => {
    expect(await errors(job({ resources: { gpus: 16 } }))).toEqual([]);
    expect(await errors(job({ resources: { gpus: 17 } }))).toEqual([
      {
        path: 'resources.gpus',
        rule: 'resources.gpus_exceeds_limit',
        message:
          'resources.gpus 17 is above the limit of 16 GPUs per node; set it to 16 or less, or raise llmOps.specLimits.maxGpusPerNode',
      },
    ]);
    const deployment = validDeployment();
    expect(
      await errors({
        ...deployment,
        resources: { ...deployment.resources, gpus: 17 },
      }),
    ).toEqual([
      expect.objectContaining({
        path: 'resources.gpus',
        rule: 'resources.gpus_exceeds_limit',
      }),
    ]);
  });

  it('spec limits: hyperparams.num_epochs above 10000 is hyperparams.num_epochs_exceeds_limit', async () => {
    expect(await errors(job({ hyperparams: { num_epochs: 10000 } }))).toEqual(
      [],
    );
    expect(await errors(job({ hyperparams: { num_epochs: 10001 } }))).toEqual([
      {
        path: 'hyperparams.num_epochs',
        rule: 'hyperparams.num_epochs_exceeds_limit',
        message:
          'hyperparams.num_epochs 10001 is above the limit of 10000 epochs; set it to 10000 or less, or raise llmOps.specLimits.maxEpochs',
      },
    ]);
  });

  it('spec limits: strings above 256 characters (storage URIs above 2048) are string.length_exceeds_limit', async () => {
    expect(
      await errors(
        job({
          dataset_ref: {
            name: 'n'.repeat(256),
            storage_uri: `s3://d/${'u'.repeat(2041)}`,
          },
        }),
      ),
    ).toEqual([]);
    expect(
      await errors(
        job({
          dataset_ref: {
            name: 'n'.repeat(257),
            storage_uri: `s3://d/${'u'.repeat(2042)}`,
          },
        }),
      ),
    ).toEqual([
      {
        path: 'dataset_ref.name',
        rule: 'string.length_exceeds_limit',
        message:
          'dataset_ref.name is 257 characters long, above the limit of 256; shorten it, or raise llmOps.specLimits.maxStringLength',
      },
      {
        path: 'dataset_ref.storage_uri',
        rule: 'string.length_exceeds_limit',
        message:
          'dataset_ref.storage_uri is 2049 characters long, above the limit of 2048; shorten it, or raise llmOps.specLimits.maxUriLength',
      },
    ]);
    // an over-long reference is not looked up
    expect(
      await errors({ ...validDeployment(), model_ref: 'm'.repeat(300) }),
    ).toEqual([
      expect.objectContaining({
        path: 'model_ref',
        rule: 'string.length_exceeds_limit',
      }),
    ]);
  });

  it('spec limits: integers beyond 2^53 - 1 are refused as unsafe integers', async () => {
    expect(
      await errors(
        job({
          resources: { gpus: 1e21 },
          hyperparams: { num_epochs: 2 ** 53 + 2 },
        }),
      ),
    ).toEqual([
      {
        path: 'hyperparams.num_epochs',
        rule: 'schema',
        message:
          'hyperparams.num_epochs must be a safe integer (at most 9007199254740991), got 9007199254740994',
      },
      {
        path: 'resources.gpus',
        rule: 'schema',
        message:
          'resources.gpus must be a safe integer (at most 9007199254740991), got 1e+21',
      },
    ]);
  });

  it('spec limits: the maxima are configurable as llmOps.specLimits', async () => {
    const config = readSpecsConfig({ specLimits: { maxNodes: 4 } });
    expect(config.specLimits).toEqual({
      maxNodes: 4,
      maxGpusPerNode: 16,
      maxEpochs: 10000,
      maxStringLength: 256,
      maxUriLength: 2048,
    });
    expect(
      await errors(job({ resources: { nodes: 8 } }), {
        limits: config.specLimits,
      }),
    ).toEqual([
      expect.objectContaining({
        rule: 'resources.nodes_exceeds_limit',
        message: expect.stringContaining('the limit of 4 nodes'),
      }),
    ]);
    expect(() => readSpecsConfig({ specLimits: { maxNodes: 0 } })).toThrow(
      /^Invalid configuration at llmOps\.specLimits\.maxNodes: /,
    );
  });
});
