import { parse } from 'yaml';
import { manifestToYaml } from './manifestToYaml';

describe('manifestToYaml', () => {
  const values = {
    date: '2024-06-01',
    yes: 'yes',
    on: 'on',
    octal: '0o17',
    oldOctal: '017',
    sexagesimal: '1:20',
    float: '1.0',
    nil: 'null',
    upperBool: 'Off',
    nan: '.NaN',
    uri: 'hf://org/model@main',
    image: 'registry/llm-serve:vllm-0.5.0-cuda12.1',
    keyValue: 'a: b',
    comment: 'a #b',
    tilde: '~',
    list: '- a',
    plain: 'llama-3-8b',
    exponentLike: 'e0',
    template: '{{item}}',
    multiline: 'a\nb',
    number: 5,
    flag: true,
  };

  it('reads back the same under YAML 1.1 and 1.2', () => {
    const text = manifestToYaml(values);
    expect(parse(text, { version: '1.1' })).toEqual(values);
    expect(parse(text, { version: '1.2' })).toEqual(values);
  });

  it('quotes ambiguous keys and values only', () => {
    expect(manifestToYaml({ name: 'llama-3-8b', on: 'on' })).toBe(
      'name: llama-3-8b\n"on": "on"\n',
    );
  });
});
