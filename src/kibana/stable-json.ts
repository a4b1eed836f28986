/**
 * JSON with object keys sorted at every level, the way json-stable-stringify writes it: Kibana's exporter
 * serializes every saved object with that library, so sorted keys make our lines byte-comparable with its
 * lines. Semantics otherwise follow JSON.stringify (undefined members are skipped, undefined in arrays and
 * non-finite numbers become null, toJSON is honoured).
 */
export function stableStringify(value: unknown, indent = ''): string {
  return write(value, indent, '') ?? 'null';
}

function write(value: unknown, indent: string, margin: string): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      return undefined;
  }
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return write(withJson.toJSON(), indent, margin);

  const inner = margin + indent;
  const open = indent ? `\n${inner}` : '';
  const close = indent ? `\n${margin}` : '';
  const separator = indent ? `,\n${inner}` : ',';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((item: unknown) => write(item, indent, inner) ?? 'null');
    return `[${open}${items.join(separator)}${close}]`;
  }
  const record = value as Record<string, unknown>;
  const members: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const written = write(record[key], indent, inner);
    if (written !== undefined) members.push(`${JSON.stringify(key)}:${indent ? ' ' : ''}${written}`);
  }
  if (members.length === 0) return '{}';
  return `{${open}${members.join(separator)}${close}}`;
}
