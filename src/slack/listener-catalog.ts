import type { App } from '@slack/bolt';

/** What the app listens to, by kind; checked against the app manifest so neither drifts from the other. */
export type ListenerCatalog = Record<ListenerKind, string[]>;
const LISTENER_KINDS = ['command', 'shortcut', 'view', 'action', 'options', 'event'] as const;
type ListenerKind = (typeof LISTENER_KINDS)[number];

/**
 * Wraps the Bolt app so every listener registration is also recorded by name. Registration code keeps using
 * Bolt's own API; nothing can be registered without being catalogued.
 */
export function withListenerCatalog(app: App): { app: App; catalog: ListenerCatalog } {
  const catalog = Object.fromEntries(LISTENER_KINDS.map((kind) => [kind, [] as string[]])) as unknown as ListenerCatalog;
  const recording = new Proxy(app, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (!(LISTENER_KINDS as readonly (string | symbol)[]).includes(property)) return value.bind(target);
      return (...args: unknown[]) => {
        catalog[property as ListenerKind].push(listenerName(args[0]));
        return (value as (...inner: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { app: recording, catalog };
}

function listenerName(matcher: unknown): string {
  if (typeof matcher === 'string') return matcher;
  if (matcher instanceof RegExp) return matcher.source;
  const constraints = matcher as { callback_id?: unknown; action_id?: unknown; type?: unknown };
  return String(constraints.callback_id ?? constraints.action_id ?? constraints.type);
}
