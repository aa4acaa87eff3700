import { Document, Scalar, parse, visit } from 'yaml';

/** Plain words: a letter first, no spaces, `:` only inside (as in URIs). */
const PLAIN_WORD = /^[A-Za-z_/][\w./@+-]*(?::[\w./@+-]+)*$/;
/** The words YAML 1.1 reads as booleans, null or special floats. */
const RESERVED_WORD = /^(?:y|n|yes|no|true|false|on|off|null|nan|inf)$/i;

/** Whether a plain scalar would not read back as this string, in YAML 1.1 or 1.2. */
function isAmbiguous(text: string): boolean {
  if (PLAIN_WORD.test(text) && !RESERVED_WORD.test(text)) {
    return false;
  }
  try {
    return (
      parse(text, { version: '1.1', logLevel: 'silent' }) !== text ||
      parse(text, { version: '1.2', logLevel: 'silent' }) !== text
    );
  } catch {
    return true;
  }
}

/**
 * Prints a manifest as YAML that reads the same under YAML 1.1 parsers
 * (kubectl, PyYAML in Ray) and YAML 1.2 ones: a string that either would
 * read as something else, such as `on`, `0o17` or `2024-06-01`, is quoted.
 *
 * @public
 */
export function manifestToYaml(value: unknown): string {
  const document = new Document(value);
  visit(document, {
    Scalar(_, node: Scalar) {
      if (
        typeof node.value === 'string' &&
        !node.value.includes('\n') &&
        isAmbiguous(node.value)
      ) {
        node.type = Scalar.QUOTE_DOUBLE;
      }
    },
  });
  return document.toString();
}
