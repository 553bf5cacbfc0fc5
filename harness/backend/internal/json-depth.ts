/**
 * Whether JSON text nests arrays and objects deeper than `max` levels, read without parsing it: brackets
 * inside strings do not count (a string's end is its first quote not escaped by an odd run of backslashes).
 * Text that is not JSON is read as far as it goes; the parser says what is wrong with it.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22) {
      // Jump to the string's closing quote with a native search: most of a body's bytes are in strings.
      for (;;) {
        const end = text.indexOf('"', i + 1);
        if (end < 0) return false;
        let slashes = 0;
        while (text.charCodeAt(end - 1 - slashes) === 0x5c) slashes++;
        i = end;
        if (slashes % 2 === 0) break;
      }
    } else if (code === 0x5b || code === 0x7b) {
      if (++depth > max) return true;
    } else if (code === 0x5d || code === 0x7d) {
      depth--;
    }
  }
  return false;
}
