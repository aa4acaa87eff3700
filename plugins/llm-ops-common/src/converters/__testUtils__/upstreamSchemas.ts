import fs from 'node:fs';
import path from 'node:path';
import Ajv, { ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse, parseAllDocuments } from 'yaml';
import { manifestToYaml } from '../manifestToYaml';

/**
 * The upstream fixtures folder: `$LLMOPS_FIXTURES_DIR`, else
 * `fixtures/upstream` in the repository root (the folder holding
 * `backstage.json`).
 */
export function findFixturesDir(): string {
  if (process.env.LLMOPS_FIXTURES_DIR) {
    return path.resolve(process.env.LLMOPS_FIXTURES_DIR);
  }
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'backstage.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(
        `No backstage.json above ${__dirname}; set LLMOPS_FIXTURES_DIR`,
      );
    }
    dir = parent;
  }
  return path.join(dir, 'fixtures/upstream');
}

/** The documents of a YAML fixture, such as `kserve/samples/hf_isvc.yaml`. */
export function readFixtureDocuments(relativePath: string): unknown[] {
  const text = fs.readFileSync(
    path.join(findFixturesDir(), relativePath),
    'utf8',
  );
  return parseAllDocuments(text).map(doc => doc.toJS());
}

type Schema = Record<string, unknown>;

/**
 * Closes every object schema that lists `properties`, unless it has
 * `additionalProperties` or `x-kubernetes-preserve-unknown-fields`. The API
 * server silently prunes unknown fields of structural schemas; closing the
 * schema turns a field the server would drop into a test failure.
 */
export function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) {
    return schema.map(closeObjects);
  }
  if (typeof schema !== 'object' || schema === null) {
    return schema;
  }
  const result: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    const isMapOfSchemas =
      key === 'properties' ||
      key === 'definitions' ||
      key === 'patternProperties';
    result[key] =
      isMapOfSchemas && typeof value === 'object' && value !== null
        ? Object.fromEntries(
            Object.entries(value).map(([name, s]) => [name, closeObjects(s)]),
          )
        : closeObjects(value);
  }
  if (
    result.properties &&
    result.additionalProperties === undefined &&
    result['x-kubernetes-preserve-unknown-fields'] !== true
  ) {
    result.additionalProperties = false;
  }
  return result;
}

/** The `openAPIV3Schema` of a CRD fixture, for a version or the first one. */
export function loadCrdSchema(relativePath: string, version?: string): Schema {
  const [crd] = readFixtureDocuments(relativePath) as Array<{
    spec: {
      versions: Array<{ name: string; schema: { openAPIV3Schema: Schema } }>;
    };
  }>;
  const entry = version
    ? crd.spec.versions.find(v => v.name === version)
    : crd.spec.versions[0];
  if (!entry) {
    throw new Error(`${relativePath} has no version ${version}`);
  }
  return entry.schema.openAPIV3Schema;
}

/**
 * An ajv validator of a CRD's schema. The `x-kubernetes-*` keywords are
 * ignored (`strict: false`); int-or-string fields carry their own `anyOf`.
 */
export function crdValidator(
  relativePath: string,
  version?: string,
): ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(
    closeObjects(loadCrdSchema(relativePath, version)) as Schema,
  );
}

/** An ajv (draft 2020-12) validator of Argo's JSON schema of a Workflow. */
export function argoJsonSchemaValidator(): ValidateFunction {
  const file = path.join(findFixturesDir(), 'argo/schema.json');
  const schema = closeObjects(
    JSON.parse(fs.readFileSync(file, 'utf8')),
  ) as Schema;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(schema, 'argo');
  const validate = ajv.getSchema(
    'argo#/definitions/io.argoproj.workflow.v1alpha1.Workflow',
  );
  if (!validate) {
    throw new Error(
      'argo/schema.json has no io.argoproj.workflow.v1alpha1.Workflow',
    );
  }
  return validate;
}

/** Validates and returns the errors as text, or an empty string. */
export function schemaErrors(
  validate: ValidateFunction,
  manifest: unknown,
): string {
  // Through YAML, as `llmops convert` prints manifests and kubectl reads them.
  const document = parse(manifestToYaml(manifest), { version: '1.1' });
  return validate(document)
    ? ''
    : (validate.errors ?? [])
        .map(e => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`)
        .join('\n');
}
