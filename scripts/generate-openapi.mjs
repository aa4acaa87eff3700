// Generates the typed router input from a plugin's src/schema/openapi.yaml,
// as `backstage-repo-tools package schema openapi generate --server` does.
// Usage: node scripts/generate-openapi.mjs plugins/llm-ops-backend
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

const dir = process.argv[2];
const source = path.join(dir, 'src/schema/openapi.yaml');
const target = path.join(dir, 'src/schema/openapi.generated.ts');
const spec = parse(readFileSync(source, 'utf8'));
writeFileSync(
  target,
  `// Generated from openapi.yaml by scripts/generate-openapi.mjs. Do not edit.
/* eslint-disable */
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = ${JSON.stringify(spec, null, 2)} as const;

export const createOpenApiRouter = async (
  options?: Parameters<typeof createValidatedOpenApiRouter>['1'],
) => createValidatedOpenApiRouter<typeof spec>(spec, options);
`,
);
console.log(`wrote ${target}`);
