import fs from 'node:fs';
import path from 'node:path';
import {
  InMemoryModelResolver,
  LLM_OPS_API_VERSION,
  modelEntityValidator,
} from '@llmops/plugin-llm-ops-common';
import { describe, readDocuments } from './readDocument';
import { UsageError } from './UsageError';

/** The Models of the `--catalog` files and folders, and what was skipped. */
export interface Catalog {
  resolver: InMemoryModelResolver;
  warnings: string[];
}

/**
 * Loads catalog YAML files, or folders of them (`*.yaml` and `*.yml`,
 * recursively), possibly multi-document, and indexes their Model entities.
 * Throws a UsageError for a path that cannot be read or parsed.
 */
export function loadCatalog(paths: string[], cwd: string): Catalog {
  const entities: ModelDocument[] = [];
  const warnings: string[] = [];
  for (const given of paths) {
    for (const file of catalogFiles(given, path.resolve(cwd, given))) {
      for (const doc of readDocuments(file.display, file.absolute)) {
        if (!isModelDocument(doc)) {
          continue;
        }
        const name = String(doc.metadata?.name ?? '?');
        try {
          const entity = modelEntityValidator(doc);
          if (entity) {
            entities.push(entity);
          }
        } catch (error) {
          warnings.push(
            `${
              file.display
            }: skipped Model ${name}, which is invalid: ${describe(error)}`,
          );
        }
      }
    }
  }
  return { resolver: new InMemoryModelResolver(entities), warnings };
}

type ModelDocument = Exclude<ReturnType<typeof modelEntityValidator>, false>;

function isModelDocument(
  doc: unknown,
): doc is { metadata?: { name?: unknown } } {
  return (
    typeof doc === 'object' &&
    doc !== null &&
    'apiVersion' in doc &&
    doc.apiVersion === LLM_OPS_API_VERSION &&
    'kind' in doc &&
    doc.kind === 'Model'
  );
}

function catalogFiles(
  display: string,
  absolute: string,
): Array<{ display: string; absolute: string }> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(absolute);
  } catch (error) {
    throw new UsageError(`cannot read catalog ${display}: ${describe(error)}`);
  }
  if (!stat.isDirectory()) {
    return [{ display, absolute }];
  }
  return fs
    .readdirSync(absolute, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap(entry => {
      const child = {
        display: path.join(display, entry.name),
        absolute: path.join(absolute, entry.name),
      };
      if (entry.isDirectory()) {
        return catalogFiles(child.display, child.absolute);
      }
      return /\.ya?ml$/i.test(entry.name) ? [child] : [];
    });
}
