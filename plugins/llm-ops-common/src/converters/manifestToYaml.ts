import { Document, Scalar, parse, visit } from 'yaml';

/** Strings already checked; manifests repeat the same few strings a lot. */
const checked = new Map<string, boolean>();

/**
 * Whether a plain scalar would not read back as this string, in YAML 1.1 or
 * 1.2. Asked of the parsers themselves: look-alike rules miss cases such as
 * `e0`, which the YAML 1.1 reader here takes for null.
 */
function isAmbiguous(text: string): boolean {
  let ambiguous = checked.get(text);
  if (ambiguous === undefined) {
    try {
      ambiguous =
        parse(text, { version: '1.1', logLevel: 'silent' }) !== text ||
        parse(text, { version: '1.2', logLevel: 'silent' }) !== text;
    } catch {
      ambiguous = true;
    }
    if (checked.size > 10_000) checked.clear();
    checked.set(text, ambiguous);
  }
  return ambiguous;
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
