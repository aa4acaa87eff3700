/**
 * Characters a terminal does not show as themselves: controls (newlines
 * included), format characters (zero-width spaces, bidi overrides), line
 * and paragraph separators and lone surrogates.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/**
 * Shows the invisible characters of a text as `\uXXXX` (one per UTF-16
 * unit, as JSON writes them), so that a file's contents cannot forge or
 * hide lines of the output.
 */
export function escapeInvisible(text: string): string {
  return text.replace(INVISIBLE, char =>
    Array.from(
      { length: char.length },
      (_, i) => `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`,
    ).join(''),
  );
}

/** Each line of a text escaped, keeping its line breaks. */
export function escapeLines(text: string): string {
  return text.split('\n').map(escapeInvisible).join('\n');
}
