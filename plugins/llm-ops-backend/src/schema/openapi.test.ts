import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { spec } from './openapi.generated';

describe('the OpenAPI document', () => {
  it('is what the typed router is generated from (run `yarn openapi:generate` after editing it)', () => {
    const source = parse(readFileSync(path.join(__dirname, 'openapi.yaml'), 'utf8'));
    expect(spec).toEqual(source);
  });

  it('documents the {status, message, data} envelope on every response', () => {
    for (const [route, methods] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        for (const [code, response] of Object.entries(
          (operation as { responses: Record<string, { $ref?: string }> }).responses,
        )) {
          expect(`${method} ${route} ${code} ${response.$ref}`).toMatch(
            /#\/components\/responses\/(Ok|Error)$/,
          );
        }
      }
    }
  });
});
