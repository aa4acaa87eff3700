import path from 'node:path';
import {
  SpecValidationError,
  validateSpec,
} from '@llmops/plugin-llm-ops-common';
import { escapeInvisible, escapeLines } from '../escape';
import { loadCatalog } from '../loadCatalog';
import { readDocument } from '../readDocument';
import type { RunIO } from '../run';
import { UsageError } from '../UsageError';

/** One item of `llmops validate --json`. */
export interface FileResult {
  file: string;
  kind: string | null;
  valid: boolean;
  errors: Array<
    Pick<SpecValidationError, 'path' | 'message'> & { rule: string }
  >;
}

const KINDS = ['TrainJobSpec', 'DeploymentSpec'];

/**
 * `llmops validate`: 0 when every file is valid, 1 when any is invalid, 2
 * when a file cannot be read, parsed or has an unknown kind.
 */
export async function validateCommand(
  files: string[],
  options: { catalog: string[]; json?: boolean },
  io: RunIO,
): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const { resolver, warnings } = loadCatalog(options.catalog, cwd);
  warnings.forEach(warning =>
    io.stderr(`warning: ${escapeInvisible(warning)}\n`),
  );

  const results: FileResult[] = [];
  let exitCode = 0;
  for (const file of files) {
    let doc: unknown;
    try {
      doc = readDocument(file, path.resolve(cwd, file));
    } catch (error) {
      if (!(error instanceof UsageError)) {
        throw error;
      }
      io.stderr(`error: ${escapeInvisible(error.message)}\n`);
      results.push({
        file,
        kind: null,
        valid: false,
        errors: [{ path: '', rule: 'read', message: error.message }],
      });
      exitCode = 2;
      continue;
    }
    const kind =
      typeof doc === 'object' && doc !== null && 'kind' in doc
        ? doc.kind
        : undefined;
    if (typeof kind !== 'string' || !KINDS.includes(kind)) {
      const message = `kind must be TrainJobSpec or DeploymentSpec, got ${
        JSON.stringify(kind) ?? 'nothing'
      }`;
      io.stderr(`error: ${escapeInvisible(`${file}: ${message}`)}\n`);
      results.push({
        file,
        kind: typeof kind === 'string' ? kind : null,
        valid: false,
        errors: [{ path: 'kind', rule: 'schema', message }],
      });
      exitCode = 2;
      continue;
    }
    const result = await validateSpec(doc, { resolver });
    results.push({ file, kind, valid: result.valid, errors: result.errors });
    if (!result.valid && exitCode === 0) {
      exitCode = 1;
    }
  }

  if (options.json) {
    // JSON.stringify escapes controls only; the \u escapes read back the same
    io.stdout(`${escapeLines(JSON.stringify(results, null, 2))}\n`);
  } else {
    for (const result of results) {
      io.stdout(formatResult(result));
    }
  }
  return exitCode;
}

/** The lines of a file's result, every value from the file escaped. */
function formatResult(result: FileResult): string {
  const file = escapeInvisible(result.file);
  const kind = escapeInvisible(result.kind ?? 'unknown kind');
  if (result.valid) {
    return `PASS ${file} (${kind})\n`;
  }
  const count = result.errors.length;
  return [
    `FAIL ${file} (${kind}): ${count} error${count === 1 ? '' : 's'}`,
    ...result.errors.map(formatError),
    '',
  ].join('\n');
}

/** An error's `  - PATH [RULE] MESSAGE` line, escaped. */
export function formatError(error: FileResult['errors'][number]): string {
  return `  - ${escapeInvisible(error.path) || '(document)'} [${
    error.rule
  }] ${escapeInvisible(error.message)}`;
}
