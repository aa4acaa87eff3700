import { JOB_TYPES } from '@llmops/plugin-llm-ops-common';
import {
  fillTrainDefaults,
  followTrainDefaults,
  TRAIN_DEFAULTS,
  trainDefaultsFor,
} from './trainDefaults';

const hyperparams = ['lr', 'batch_size', 'num_epochs', 'max_seq_len'];
const methodStep = ['method', 'gpus', 'gpu_type', 'nodes'];

describe('TRAIN_DEFAULTS', () => {
  it('has a row for every job type, with its default method among its methods', () => {
    expect(Object.keys(TRAIN_DEFAULTS).sort()).toEqual([...JOB_TYPES].sort());
    for (const row of Object.values(TRAIN_DEFAULTS)) {
      expect(row.methods[row.method]).toBeDefined();
    }
  });

  it('allows only full for PRETRAIN', () => {
    expect(TRAIN_DEFAULTS.PRETRAIN.method).toBe('full');
    expect(Object.keys(TRAIN_DEFAULTS.PRETRAIN.methods)).toEqual(['full']);
  });

  it.each(['SFT', 'RAG_TUNING', 'RLHF', 'EMBEDDING'] as const)(
    'gives %s adapters a higher learning rate than full, and QLoRA a smaller batch than LoRA',
    jobType => {
      const { lora, qlora, full } = TRAIN_DEFAULTS[jobType].methods;
      expect(lora!.lr).toBeGreaterThan(full!.lr);
      expect(qlora!.lr).toBeGreaterThan(full!.lr);
      expect(qlora!.batch_size).toBeLessThan(lora!.batch_size);
    },
  );
});

describe('trainDefaultsFor', () => {
  it('uses the job type and the method', () => {
    expect(trainDefaultsFor({ job_type: 'SFT', method: 'lora' })).toEqual({
      method: 'lora',
      lr: 2e-4,
      batch_size: 8,
      num_epochs: 3,
      max_seq_len: 2048,
    });
    expect(trainDefaultsFor({ job_type: 'SFT', method: 'qlora' })).toEqual({
      method: 'lora',
      lr: 2e-4,
      batch_size: 4,
      num_epochs: 3,
      max_seq_len: 2048,
    });
    expect(trainDefaultsFor({ job_type: 'SFT', method: 'full' })).toMatchObject(
      { lr: 2e-5, batch_size: 8 },
    );
  });

  it("uses the job type's default method while none is chosen", () => {
    expect(trainDefaultsFor({ job_type: 'SFT' })).toMatchObject({
      method: 'lora',
      lr: 2e-4,
    });
    expect(trainDefaultsFor({ job_type: 'PRETRAIN' })).toEqual({
      method: 'full',
      lr: 3e-4,
      batch_size: 64,
      num_epochs: 1,
      max_seq_len: 2048,
    });
  });

  it('gives only the method for a method the job type does not allow, and nothing for an unknown job type', () => {
    expect(trainDefaultsFor({ job_type: 'PRETRAIN', method: 'lora' })).toEqual({
      method: 'full',
    });
    expect(trainDefaultsFor({ job_type: 'NOPE' })).toEqual({});
    expect(trainDefaultsFor({})).toEqual({});
  });
});

describe('fillTrainDefaults', () => {
  it("fills the step's empty fields only", () => {
    expect(
      fillTrainDefaults(
        { job_type: 'SFT', lr: 1e-3, max_seq_len: '' },
        hyperparams,
      ),
    ).toEqual({
      job_type: 'SFT',
      lr: 1e-3,
      batch_size: 8,
      num_epochs: 3,
      max_seq_len: 2048,
    });
    expect(fillTrainDefaults({ job_type: 'PRETRAIN' }, methodStep)).toEqual({
      job_type: 'PRETRAIN',
      method: 'full',
    });
  });
});

describe('followTrainDefaults', () => {
  const sftLora = {
    job_type: 'SFT',
    lr: 2e-4,
    batch_size: 8,
    num_epochs: 3,
    max_seq_len: 2048,
    method: 'lora',
  };

  it('moves the hyperparameters still at their defaults to the new method, and keeps the typed ones', () => {
    const typed = { ...sftLora, num_epochs: 5 };
    expect(
      followTrainDefaults(typed, { ...typed, method: 'full' }, methodStep),
    ).toEqual({ ...typed, method: 'full', lr: 2e-5, batch_size: 8 });
    expect(
      followTrainDefaults(typed, { ...typed, method: 'qlora' }, methodStep),
    ).toEqual({ ...typed, method: 'qlora', lr: 2e-4, batch_size: 4 });
  });

  it('treats the hyperparameters of the default method as defaults while no method is chosen yet', () => {
    const { method: _m, ...beforeMethod } = sftLora;
    expect(
      followTrainDefaults(
        beforeMethod,
        { ...beforeMethod, method: 'full' },
        methodStep,
      ),
    ).toMatchObject({ method: 'full', lr: 2e-5 });
  });

  it('moves the method and the hyperparameters at their defaults to a new job type', () => {
    expect(
      followTrainDefaults(sftLora, { ...sftLora, job_type: 'PRETRAIN' }, [
        'job_type',
      ]),
    ).toEqual({
      job_type: 'PRETRAIN',
      method: 'full',
      lr: 3e-4,
      batch_size: 64,
      num_epochs: 1,
      max_seq_len: 2048,
    });
    const chosen = { ...sftLora, method: 'qlora', batch_size: 4 };
    expect(
      followTrainDefaults(chosen, { ...chosen, job_type: 'RAG_TUNING' }, [
        'job_type',
      ]),
    ).toEqual({
      job_type: 'RAG_TUNING',
      method: 'qlora',
      lr: 1e-4,
      batch_size: 4,
      num_epochs: 2,
      max_seq_len: 4096,
    });
  });

  it('leaves the hyperparameters alone for a method the job type does not allow', () => {
    const pretrain = {
      job_type: 'PRETRAIN',
      method: 'full',
      lr: 3e-4,
      batch_size: 64,
    };
    expect(
      followTrainDefaults(
        pretrain,
        { ...pretrain, method: 'lora' },
        methodStep,
      ),
    ).toEqual({ ...pretrain, method: 'lora' });
  });

  it('changes nothing else when neither the job type nor the method changes', () => {
    expect(
      followTrainDefaults(sftLora, { ...sftLora, lr: 3e-4 }, hyperparams),
    ).toEqual({ ...sftLora, lr: 3e-4 });
  });
});
