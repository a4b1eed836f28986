/**
 * 100 kB strings that make naive regular expressions and tokenisers backtrack or allocate per character: the
 * hostile-input tests run every parser over them, and `npm run bench -- hostile` times each.
 */
const SIZE = 100_000;
const fill = (unit: string) => unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE);

export const PATHOLOGICAL: Readonly<Record<string, string>> = {
  'a.a.a.… (domain labels)': fill('a.'),
  '1.1.1.… (IPv4-like)': fill('1.'),
  'a:a:a:… (IPv6-like)': fill('a:'),
  'one 100 kB hex run (hash-like)': fill('f'),
  '[.][.]… (defanged dots)': fill('[.]'),
  ' [.] [.]… (spaced defanged dots)': fill(' [.] '),
  'a@a@… (e-mail-like)': fill('a@'),
  'hxxp://hxxp://… (defanged URLs)': fill('hxxp://'),
  '63-letter labels (longest domain names)': fill(`${'a'.repeat(63)}.`),
  '<<<… (Slack markup openers)': fill('<'),
  '<@U1|<@U1|… (unclosed mentions)': fill('<@U1|'),
  spaces: fill(' '),
  tabs: fill('\t'),
  '"x" "x" … (quotes)': fill('"x" '),
};
