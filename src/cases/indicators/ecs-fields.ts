/**
 * Elastic Common Schema field names. caseops lives next to Elastic Security, so alerts pasted into Slack are full of
 * `host.name: WIN-DC01`, `source.ip: 203.0.113.5`, `dns.question.name: …`. These are shaped exactly like domains
 * (`.name` is even a real TLD), so a name is taken for a field when it starts with an ECS field set and ends with a
 * common ECS leaf field. Requiring both keeps real domains that share one end (`file.io`, `service.gov.uk`).
 * https://www.elastic.co/guide/en/ecs/current/ecs-field-reference.html
 */

/** Top-level ECS field sets, plus the Kibana alert and Windows event-log namespaces Security alerts carry. */
const FIELD_SETS = new Set([
  ...['agent', 'client', 'cloud', 'container', 'destination', 'device', 'dll', 'dns', 'ecs', 'email', 'error', 'event'],
  ...['file', 'group', 'host', 'http', 'log', 'network', 'observer', 'orchestrator', 'organization', 'package'],
  ...['process', 'registry', 'related', 'rule', 'server', 'service', 'source', 'threat', 'tls', 'url', 'user'],
  ...['vulnerability', 'kibana', 'signal', 'winlog'],
]);

/** The leaf fields analysts paste most; the ones written with `_` (`command_line`) never look like a domain anyway. */
const LEAF_FIELDS = new Set([
  ...['name', 'hostname', 'id', 'ip', 'mac', 'port', 'pid', 'domain', 'address', 'email', 'user', 'hosts', 'hash'],
  ...['path', 'directory', 'extension', 'size', 'executable', 'args', 'title', 'action', 'category', 'type', 'kind'],
  ...['outcome', 'module', 'dataset', 'provider', 'code', 'severity', 'reason', 'description', 'message', 'level'],
  ...['full', 'original', 'scheme', 'query', 'data', 'method', 'protocol', 'direction', 'transport', 'key', 'value'],
  ...['strings', 'subject', 'region', 'family', 'version', 'platform'],
]);

export function isEcsFieldName(name: string): boolean {
  const labels = name.toLowerCase().split('.');
  return FIELD_SETS.has(labels[0] ?? '') && LEAF_FIELDS.has(labels.at(-1) ?? '');
}
