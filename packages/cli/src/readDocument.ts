import fs from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { UsageError } from './UsageError';

/**
 * Reads the single YAML or JSON document of a file. Throws a UsageError
 * when the file cannot be read or parsed, or holds no document or several.
 */
export function readDocument(file: string, absolutePath: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(absolutePath, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${describe(error)}`);
  }
  const documents = parseAllDocuments(text);
  for (const document of documents) {
    if (document.errors.length) {
      throw new UsageError(
        `${file} is not valid YAML: ${document.errors[0].message}`,
      );
    }
  }
  const contents = documents.filter(d => d.contents !== null);
  if (contents.length !== 1) {
    throw new UsageError(
      `${file} must hold exactly one document, found ${contents.length}`,
    );
  }
  return contents[0].toJS();
}

/** All documents of a YAML file, for catalog files. */
export function readDocuments(file: string, absolutePath: string): unknown[] {
  let text: string;
  try {
    text = fs.readFileSync(absolutePath, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${describe(error)}`);
  }
  const documents = parseAllDocuments(text);
  for (const document of documents) {
    if (document.errors.length) {
      throw new UsageError(
        `${file} is not valid YAML: ${document.errors[0].message}`,
      );
    }
  }
  return documents.filter(d => d.contents !== null).map(d => d.toJS());
}

export function describe(error: unknown): string {
  if (
    error &&
    typeof error === 'object' &&
    'code' in error &&
    error.code === 'ENOENT'
  ) {
    return 'no such file';
  }
  return error instanceof Error ? error.message : String(error);
}
