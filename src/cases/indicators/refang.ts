/**
 * Refanging: threat-intel posts write indicators "defanged" so nobody clicks them (`hxxps://evil[.]com`,
 * `203.0.113[.]7`, `bob[at]evil[.]com`). The markers are replaced by what they stand for, keeping track of where each
 * character came from so a found indicator can be reported as written.
 */

/** One kind of marker: a pattern for it, what it stands for, and whether spaces and tabs around it belong to it. */
interface DefangMarker {
  readonly pattern: string;
  readonly meaning: string;
  readonly spaced?: boolean;
}

/**
 * Case-insensitive. Square-bracketed dots and ats may have spaces around them (`evil [.] com`, `bob [at] evil.com`):
 * brackets are written on purpose, so the spaces are part of the defanging. Round and curly ones may not, because
 * `(at)` or `(.)` between words occurs in ordinary prose.
 */
const DEFANG_MARKERS: readonly DefangMarker[] = [
  // `hxxp` (or `h**p`) only directly before `://` or a defanged `[:]`, so a word that happens to contain it is left alone.
  { pattern: String.raw`h(?:xx|\*\*)p(?=s?(?::|\[:))`, meaning: 'http' },
  { pattern: String.raw`\[(?:\.|dot)\]`, meaning: '.', spaced: true },
  { pattern: String.raw`\((?:\.|dot)\)|\{(?:\.|dot)\}`, meaning: '.' },
  { pattern: String.raw`\[(?:@|at)\]`, meaning: '@', spaced: true },
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
  const pattern = new RegExp(DEFANG_PATTERN);
  for (let match = pattern.exec(source); match; match = pattern.exec(source)) {
    const marker = markerOf(match);
    let start = match.index;
    let end = start + match[0].length;
    // Spaces are taken here rather than by `[ \t]*` in the pattern: a leading `[ \t]*` retries from every
    // space of a long run of them, which made a message of 100,000 spaces take minutes.
    if (marker?.spaced) {
      while (start > copied && isSpaceOrTab(source.charCodeAt(start - 1))) start -= 1;
      while (end < source.length && isSpaceOrTab(source.charCodeAt(end))) end += 1;
      pattern.lastIndex = end;
    }
    copy(copied, start);
    copied = end;
    replace(marker?.meaning ?? match[0], start, end);
  }
  copy(copied, source.length);
  return {
    text: pieces.join(''),
    sourceOf: (start, end) => source.slice(sourceStarts[start] ?? source.length, sourceEnds[end - 1] ?? source.length),
  };
}

function markerOf(match: RegExpMatchArray): DefangMarker | undefined {
  return DEFANG_MARKERS.find((_, group) => match[group + 1] !== undefined);
}

function isSpaceOrTab(code: number): boolean {
  return code === 0x20 || code === 0x09;
}
