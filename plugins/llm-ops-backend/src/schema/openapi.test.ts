import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { spec } from './openapi.generated';

describe('the OpenAPI document', () => {
  it('is what the typed router is generated from (run `yarn openapi:generate` after editing it)', () => {
    const source = parse(readFileSync(path.join(__dirname, 'openapi.yaml'), 'utf8'));
    expect(spec).toEqual(source);
  });

  it('documents the {status, message, data} envelope on every response the API writes', () => {
    for (const methods of Object.values(spec.paths)) {
      for (const operation of Object.values(methods)) {
        for (const [code, response] of Object.entries(
          (operation as { responses: Record<string, { $ref?: string }> }).responses,
        )) {
          // A 401 comes from Backstage's auth layer, before the API.
          const expected = code === '401' ? 'Unauthorized' : /^(Ok|Error)$/;
          expect(response.$ref?.split('/').pop()).toMatch(expected);
        }
      }
    }
  });
});
