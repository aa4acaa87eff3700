import {
  aliasProblem,
  mlflowModelSource,
  parseMlflowModelSource,
  parseModelVersion,
  resolveModelVersion,
} from './modelVersions';

const model = {
  name: 'support-assistant',
  aliases: { champion: '3', staging: '4' },
  versions: ['1', '2', '3', '4'].map(version => ({ version })),
};

describe('model versions', () => {
  it('reads a version number or an @alias, and nothing else', () => {
    expect(parseModelVersion('3')).toEqual({ version: '3' });
    expect(parseModelVersion('@champion')).toEqual({ alias: 'champion' });
    for (const bad of [
      '',
      '0',
      '03',
      'v3',
      'champion',
      '@',
      '@1st',
      'latest',
    ]) {
      expect(parseModelVersion(bad)).toBeUndefined();
    }
  });

  it('writes and reads mlflow:// sources, with an alias or a version', () => {
    expect(mlflowModelSource('support assistant', { alias: 'champion' })).toBe(
      'mlflow://models/support%20assistant/@champion',
    );
    expect(
      parseMlflowModelSource('mlflow://models/support%20assistant/@champion'),
    ).toEqual({
      name: 'support assistant',
      alias: 'champion',
    });
    expect(parseMlflowModelSource('mlflow://models/support/3')).toEqual({
      name: 'support',
      version: '3',
    });
    expect(
      parseMlflowModelSource('hf://meta-llama/Meta-Llama-3-8B'),
    ).toBeUndefined();
  });

  it('resolves an alias to its version, and names what exists when the ref names nothing', () => {
    expect(resolveModelVersion(model, { alias: 'champion' })).toEqual({
      version: '3',
    });
    expect(resolveModelVersion(model, { version: '2' })).toEqual({
      version: '2',
    });
    expect(resolveModelVersion(model, { version: '9' })).toEqual({
      problem:
        "support-assistant has no version 9 in MLflow's registry; its versions are 1, 2, 3, 4",
    });
    expect(resolveModelVersion(model, { alias: 'prod' })).toEqual({
      problem:
        "support-assistant has no alias prod in MLflow's registry; its aliases are @champion (version 3), @staging (version 4)",
    });
    expect(
      resolveModelVersion({ ...model, aliases: {} }, { alias: 'prod' }),
    ).toEqual({
      problem:
        "support-assistant has no alias prod in MLflow's registry; it has no aliases",
    });
  });

  it('says the alias rule in words, never as a pattern', () => {
    expect(aliasProblem('champion')).toBeUndefined();
    expect(aliasProblem('1st place')).toBe(
      '"1st place" is not a valid alias: an alias starts with a letter and has up to 64 letters, digits, _ or -',
    );
    expect(aliasProblem('')).toBe('Name the alias, such as champion');
  });
});
