import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { spec } from './openapi/generated/router';

type Response = { $ref?: string };
type Schema = {
  $ref?: string;
  required?: string[];
  properties?: Record<string, Schema & { enum?: string[] }>;
};

const { components } = spec as unknown as {
  components: {
    responses: Record<string, { content: { 'application/json': { schema: Schema } } }>;
    schemas: Record<string, Schema>;
  };
};
const refName = (ref?: string) => ref?.split('/').pop() ?? '';

describe('the OpenAPI document', () => {
  it('is what the typed router is generated from (run `yarn openapi:generate` after editing it)', () => {
    const source = parse(readFileSync(path.join(__dirname, 'openapi.yaml'), 'utf8'));
    expect(spec).toEqual(source);
  });

  it('documents a typed {status, message, data} envelope on every response the API writes', () => {
    const operations = Object.values(spec.paths).flatMap(methods =>
      Object.values(methods as Record<string, { responses: Record<string, Response> }>),
    );
    expect(operations.length).toBeGreaterThan(20);
    const responses = operations.flatMap(operation =>
      Object.entries(operation.responses).map(([code, response]) => ({
        code,
        name: refName(response.$ref),
      })),
    );
    // A 401 comes from Backstage's auth layer, before the API.
    expect(
      responses.filter(r => r.code === '401').map(r => r.name),
    ).toEqual(responses.filter(r => r.code === '401').map(() => 'Unauthorized'));
    const errors = responses.filter(r => r.code !== '401' && !r.code.startsWith('2'));
    expect(errors.map(r => r.name)).toEqual(errors.map(() => 'Error'));
    // A success names its data's schema: no untyped `data: {}`.
    const successes = responses.filter(r => r.code.startsWith('2'));
    expect(successes.length).toBeGreaterThan(20);
    for (const { name } of successes) {
      const envelope =
        components.schemas[
          refName(components.responses[name].content['application/json'].schema.$ref)
        ];
      expect(envelope.required).toEqual(['status', 'message', 'data']);
      expect(envelope.properties!.status.enum).toEqual(['success']);
      expect(components.schemas[refName(envelope.properties!.data.$ref)]).toBeDefined();
    }
  });
});
