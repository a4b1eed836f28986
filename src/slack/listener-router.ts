import type {
  AllMiddlewareArgs,
  App,
  SlackActionMiddlewareArgs,
  SlackOptionsMiddlewareArgs,
  SlackShortcutMiddlewareArgs,
  SlackViewMiddlewareArgs,
} from '@slack/bolt';

/** What the app listens to, by kind; checked against the app manifest so neither drifts from the other. */
export type ListenerCatalog = Record<ListenerKind, string[]>;
const LISTENER_KINDS = ['command', 'shortcut', 'view', 'action', 'options', 'event'] as const;
type ListenerKind = (typeof LISTENER_KINDS)[number];

/** The kinds routed by id: buttons and menus, modal submissions, typeahead menus, shortcuts. */
const ROUTED_KINDS = ['action', 'view', 'options', 'shortcut'] as const;
type RoutedKind = (typeof ROUTED_KINDS)[number];

/** What a listener of each routed kind receives from Bolt. */
export interface RoutedArgs {
  action: SlackActionMiddlewareArgs & AllMiddlewareArgs;
  view: SlackViewMiddlewareArgs & AllMiddlewareArgs;
  options: SlackOptionsMiddlewareArgs & AllMiddlewareArgs;
  shortcut: SlackShortcutMiddlewareArgs & AllMiddlewareArgs;
}
type RoutedListener<K extends RoutedKind> = (args: RoutedArgs[K]) => Promise<void>;

/** The listener for ids no registration claimed (a card or modal from another version of caseops). */
export type FallbackListeners = { [K in RoutedKind]: RoutedListener<K> };

/** The id a request of each routed kind is for. */
const ID_OF: { [K in RoutedKind]: (args: RoutedArgs[K]) => string | undefined } = {
  action: (args) => ('action_id' in args.action ? args.action.action_id : undefined),
  view: (args) => args.view.callback_id,
  options: (args) => ('action_id' in args.body ? args.body.action_id : undefined),
  shortcut: (args) => args.shortcut.callback_id,
};

/** Matches every id: the routed kinds have one Bolt listener each. */
const ANY_ID = /^/;

/**
 * Wraps the Bolt app so every listener registration is catalogued by name, and the routed kinds are
 * dispatched by id from one Bolt listener per kind. Bolt runs the matchers of every registered listener on
 * every request before the one that acks — with ~35 listeners that was a measurable share of each ack
 * (BENCHMARKS.md, http section). Registration code keeps using Bolt's own API: a routed kind by a string id
 * with one listener function; commands and events go to Bolt as they are. `route` installs the routes, with
 * the fallbacks for ids nothing claimed, once every listener is registered.
 */
export function withListenerRouter(app: App): { app: App; catalog: ListenerCatalog; route(fallbacks: FallbackListeners): void } {
  const catalog = Object.fromEntries(LISTENER_KINDS.map((kind) => [kind, [] as string[]])) as unknown as ListenerCatalog;
  const routes = Object.fromEntries(ROUTED_KINDS.map((kind) => [kind, new Map<string, unknown>()])) as { [K in RoutedKind]: Map<string, RoutedListener<K>> };
  const isRouted = (property: string | symbol): property is RoutedKind => (ROUTED_KINDS as readonly (string | symbol)[]).includes(property);
  const recording = new Proxy(app, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (isRouted(property)) {
        return (id: unknown, ...listeners: unknown[]) => {
          if (typeof id !== 'string' || listeners.length !== 1) throw new Error(`app.${property} listeners are registered by a string id with one listener function`);
          if (routes[property].has(id)) throw new Error(`two app.${property} listeners for ${id}`);
          catalog[property].push(id);
          routes[property].set(id, listeners[0] as never);
        };
      }
      if (!(LISTENER_KINDS as readonly (string | symbol)[]).includes(property)) return value.bind(target);
      return (name: unknown, ...listeners: unknown[]) => {
        if (typeof name !== 'string') throw new Error(`app.${String(property)} listeners are registered by name`);
        catalog[property as ListenerKind].push(name);
        return (value as (...inner: unknown[]) => unknown).call(target, name, ...listeners);
      };
    },
  });
  const route = (fallbacks: FallbackListeners) => {
    const install = <K extends RoutedKind>(kind: K) => {
      const table = routes[kind];
      const idOf = ID_OF[kind] as (args: RoutedArgs[K]) => string | undefined;
      const dispatch = (args: RoutedArgs[K]) => (table.get(idOf(args) ?? '') ?? fallbacks[kind])(args);
      (app[kind] as (matcher: RegExp, listener: (args: RoutedArgs[K]) => Promise<void>) => void).call(app, ANY_ID, dispatch);
    };
    ROUTED_KINDS.forEach(install);
  };
  return { app: recording, catalog, route };
}
