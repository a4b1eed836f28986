/**
 * Refanging: threat-intel posts write indicators "defanged" so nobody clicks them (`hxxps://evil[.]com`,
 * `203.0.113[.]7`, `bob[at]evil[.]com`). The markers are replaced by what they stand for, keeping track of where each
 * character came from so a found indicator can be reported as written.
 */

/** One kind of marker: a pattern for it and what it stands for. */
interface DefangMarker {
  readonly pattern: string;
  readonly meaning: string;
}

/**
 * Case-insensitive. Square-bracketed dots and ats may have spaces around them (`evil [.] com`, `bob [at] evil.com`):
 * brackets are written on purpose, so the spaces are part of the defanging. Round and curly ones may not, because
 * `(at)` or `(.)` between words occurs in ordinary prose.
 */
const DEFANG_MARKERS: readonly DefangMarker[] = [
  // `hxxp` (or `h**p`) only directly before `://` or a defanged `[:]`, so a word that happens to contain it is left alone.
  { pattern: String.raw`h(?:xx|\*\*)p(?=s?(?::|\[:))`, meaning: 'http' },
  { pattern: String.raw`[ \t]*\[(?:\.|dot)\][ \t]*`, meaning: '.' },
  { pattern: String.raw`\((?:\.|dot)\)|\{(?:\.|dot)\}`, meaning: '.' },
  { pattern: String.raw`[ \t]*\[(?:@|at)\][ \t]*`, meaning: '@' },
  { pattern: String.raw`\((?:@|at)\)|\{(?:@|at)\}`, meaning: '@' },
  { pattern: String.raw`\[:\/\/\]`, meaning: '://' },
  { pattern: String.raw`\[:\]`, meaning: ':' },
  { pattern: String.raw`\[\/\]`, meaning: '/' },
];

/** All markers in one pass, each in its own capturing group so the group that matched says which marker it was. */
const DEFANG_PATTERN = new RegExp(DEFANG_MARKERS.map((marker) => `(${marker.pattern})`).join('|'), 'gi');

export interface RefangedText {
  /** The text with every marker replaced. */
  readonly text: string;
  /** The source text that `text.slice(start, end)` was made from. */
  sourceOf(start: number, end: number): string;
}

export function refang(source: string): RefangedText {
  const pieces: string[] = [];
  // For each character of the refanged text, the span of source text it came from: itself when copied, the whole
  // marker when it is (part of) a marker's meaning.
  const sourceStarts: number[] = [];
  const sourceEnds: number[] = [];
  const copy = (from: number, to: number): void => {
    pieces.push(source.slice(from, to));
    for (let at = from; at < to; at++) {
      sourceStarts.push(at);
      sourceEnds.push(at + 1);
    }
  };
  const replace = (meaning: string, from: number, to: number): void => {
    pieces.push(meaning);
    for (let i = 0; i < meaning.length; i++) {
      sourceStarts.push(from);
      sourceEnds.push(to);
    }
  };
  let copied = 0;
  for (const match of source.matchAll(DEFANG_PATTERN)) {
    copy(copied, match.index);
    copied = match.index + match[0].length;
    replace(meaningOf(match), match.index, copied);
  }
  copy(copied, source.length);
  return {
    text: pieces.join(''),
    sourceOf: (start, end) => source.slice(sourceStarts[start] ?? source.length, sourceEnds[end - 1] ?? source.length),
  };
}

function meaningOf(match: RegExpMatchArray): string {
  const index = DEFANG_MARKERS.findIndex((_, group) => match[group + 1] !== undefined);
  return DEFANG_MARKERS[index]?.meaning ?? match[0];
}
