import fs from 'node:fs';
import { Document, isScalar, parseAllDocuments } from 'yaml';
import { UsageError } from './UsageError';

/**
 * The most bytes read of a file (a spec, `--catalog` or `--config` file):
 * a spec is a few KB, and parsed YAML takes several hundred times the
 * bytes of its file in memory.
 */
export const MAX_FILE_BYTES = 1024 * 1024;
/** Alias expansions allowed in a document (the yaml package's default). */
const MAX_ALIAS_COUNT = 100;

/**
 * Reads the single YAML or JSON document of a file. Throws a UsageError
 * when the file cannot be read or parsed, or holds no document or several.
 */
export function readDocument(file: string, absolutePath: string): unknown {
  const documents = readDocuments(file, absolutePath);
  if (documents.length !== 1) {
    throw new UsageError(
      `${file} must hold exactly one document, found ${documents.length}`,
    );
  }
  return documents[0];
}

/**
 * All documents of a YAML file, for catalog files; empty ones (such as
 * after a trailing `---`) are left out.
 */
export function readDocuments(file: string, absolutePath: string): unknown[] {
  const text = readText(file, absolutePath);
  let documents: ReturnType<typeof parseAllDocuments>;
  try {
    documents = parseAllDocuments(text);
  } catch (error) {
    throw new UsageError(`${file} is not valid YAML: ${firstLine(error)}`);
  }
  for (const document of documents) {
    if (document.errors.length) {
      throw new UsageError(
        `${file} is not valid YAML: ${firstLine(document.errors[0])}`,
      );
    }
  }
  return documents
    .filter(d => !isEmpty(d))
    .map(d => {
      try {
        return d.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      } catch (error) {
        throw new UsageError(
          /alias count/i.test(firstLine(error))
            ? `${file} is refused: its YAML aliases expand too far (more than ${MAX_ALIAS_COUNT} alias expansions), as in a "billion laughs" document`
            : `${file} is not valid YAML: ${firstLine(error)}`,
        );
      }
    });
}

/** A document with nothing in it, not even `null` or `~`. */
function isEmpty(document: Pick<Document, 'contents'>): boolean {
  const contents = document.contents;
  return (
    contents === null ||
    (isScalar(contents) && contents.value === null && contents.source === '')
  );
}

/** The UTF-8 text of a file, refusing files above the cap, NUL bytes and invalid UTF-8. */
function readText(file: string, absolutePath: string): string {
  const bytes = readBounded(file, absolutePath);
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    throw new UsageError(
      `${file} holds a NUL byte at byte offset ${nul}: spec files are UTF-8 text`,
    );
  }
  const text = bytes.toString('utf8');
  const invalid = text.includes('\ufffd') ? invalidUtf8Offset(bytes) : -1;
  if (invalid >= 0) {
    throw new UsageError(
      `${file} is not valid UTF-8: byte 0x${bytes[invalid]
        .toString(16)
        .padStart(
          2,
          '0',
        )} at byte offset ${invalid} does not start a UTF-8 character`,
    );
  }
  return text;
}

/** Reads at most MAX_FILE_BYTES, so that `/dev/zero` or a huge file stops there. */
function readBounded(file: string, absolutePath: string): Buffer {
  const buffer = Buffer.alloc(MAX_FILE_BYTES + 1);
  let length = 0;
  let fd: number | undefined;
  try {
    fd = fs.openSync(absolutePath, 'r');
    for (;;) {
      const read = fs.readSync(
        fd,
        buffer,
        length,
        buffer.length - length,
        null,
      );
      if (read === 0) {
        break;
      }
      length += read;
      if (length > MAX_FILE_BYTES) {
        throw new UsageError(
          `${file} is larger than the limit of ${
            MAX_FILE_BYTES / 1024 / 1024
          } MiB (${MAX_FILE_BYTES} bytes) per file`,
        );
      }
    }
  } catch (error) {
    if (error instanceof UsageError) {
      throw error;
    }
    throw new UsageError(`cannot read ${file}: ${describe(error)}`);
  } finally {
    if (fd !== undefined) {
      fs.closeSync(fd);
    }
  }
  return buffer.subarray(0, length);
}

/**
 * The offset of the first byte that is not valid UTF-8, or -1: the first
 * U+FFFD that decoding gave for bytes other than U+FFFD's own.
 */
function invalidUtf8Offset(bytes: Buffer): number {
  let offset = 0;
  for (const char of bytes.toString('utf8')) {
    const own =
      bytes[offset] === 0xef &&
      bytes[offset + 1] === 0xbf &&
      bytes[offset + 2] === 0xbd;
    if (char === '\ufffd' && !own) {
      return offset;
    }
    offset += Buffer.byteLength(char);
  }
  return -1;
}

/** The first line of an error's message, without the source excerpt yaml adds. */
function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0].replace(/:$/, '');
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
