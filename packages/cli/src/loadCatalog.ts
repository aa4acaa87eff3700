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
 * Throws a UsageError for a path that cannot be read or parsed, and for a
 * Model defined twice (a file given twice is read once).
 */
export function loadCatalog(paths: string[], cwd: string): Catalog {
  const entities: ModelDocument[] = [];
  const warnings: string[] = [];
  const read = new Set<string>();
  /** The file of each Model, by entity ref (compared as the catalog does, ignoring case). */
  const fileOf = new Map<string, string>();
  const duplicates: string[] = [];
  for (const given of paths) {
    for (const file of catalogFiles(given, path.resolve(cwd, given))) {
      if (read.has(file.absolute)) {
        continue;
      }
      read.add(file.absolute);
      for (const doc of readDocuments(file.display, file.absolute)) {
        if (!isModelDocument(doc)) {
          continue;
        }
        const name = String(doc.metadata?.name ?? '?');
        try {
          const entity = modelEntityValidator(doc);
          if (entity) {
            const ref = `model:${entity.metadata.namespace ?? 'default'}/${
              entity.metadata.name
            }`.toLocaleLowerCase('en-US');
            const first = fileOf.get(ref);
            if (first !== undefined) {
              duplicates.push(
                `Model ${ref} is defined twice in the --catalog files, in ${first} and in ${file.display}; keep one`,
              );
            }
            fileOf.set(ref, first ?? file.display);
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
  if (duplicates.length) {
    throw new UsageError(duplicates.join('; '));
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
