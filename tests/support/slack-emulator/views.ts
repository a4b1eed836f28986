/** views.open, views.push, views.update and views.publish, and the trigger ids that open modals. */
import { randomBytes } from 'node:crypto';
import { withBlockIds } from './content-checks';
import type { TriggerContext } from './types';
import { type Handlers, type Obj, PlatformError, errorWithMessages, randomToken, str } from './web-api';
import type { Workspace } from './workspace';

const TRIGGER_TTL_MS = 3_000;
/** The root view plus two pushed views (views.push `push_limit_reached`). */
const VIEW_STACK_LIMIT = 3;

interface TriggerRecord extends TriggerContext {
  mintedAt: number;
  used: boolean;
}

interface StoredView {
  view: Obj;
  userId?: string;
}

export class ViewsApi {
  private readonly views = new Map<string, StoredView>();
  private readonly triggers = new Map<string, TriggerRecord>();
  readonly methods: Handlers = {
    'views.open': (a) => this.open(a),
    'views.push': (a) => this.push(a),
    'views.update': (a) => this.update(a),
    'views.publish': (a) => this.publish(a),
  };

  constructor(private readonly workspace: Workspace) {}

  mintTriggerId(context: TriggerContext): string {
    const id = `${Math.floor(this.workspace.clock.now() / 1000)}.${this.workspace.clock.nextSerial()}.${randomToken(16)}`;
    this.triggers.set(id, { ...context, mintedAt: this.workspace.clock.now(), used: false });
    return id;
  }

  latestModalId(): string | undefined {
    return [...this.views.entries()].filter(([, stored]) => stored.view.type === 'modal').at(-1)?.[0];
  }

  getView(id: string): Obj | undefined {
    const stored = this.views.get(id);
    return stored && structuredClone(stored.view);
  }

  homeViewOf(userId: string): Obj | undefined {
    const stored = [...this.views.values()].find((entry) => entry.view.type === 'home' && entry.userId === userId);
    return stored && structuredClone(stored.view);
  }

  /** A trigger id may be exchanged once, within 3 seconds of the interaction that minted it. */
  private exchangeTrigger(args: Obj): TriggerRecord {
    const trigger = this.triggers.get(str(args, 'trigger_id') ?? str(args, 'interactivity_pointer') ?? '');
    if (!trigger) throw new PlatformError('invalid_trigger_id');
    if (trigger.used) throw new PlatformError('exchanged_trigger_id');
    if (this.workspace.clock.now() - trigger.mintedAt > TRIGGER_TTL_MS) throw new PlatformError('expired_trigger_id');
    trigger.used = true;
    return trigger;
  }

  private assertExternalIdFree(view: Obj, exceptId?: string): void {
    const externalId = view.external_id;
    if (typeof externalId !== 'string' || externalId === '') return;
    for (const [id, stored] of this.views) {
      if (id !== exceptId && stored.view.external_id === externalId) throw new PlatformError('duplicate_external_id');
    }
  }

  /** Builds and stores the view object Slack returns, keeping identity fields of the view it replaces. */
  private saveView(input: Obj, identity: { id: string; rootViewId: string; previousViewId: string | null; userId?: string }): Obj {
    const { teamId, appId, botId } = this.workspace;
    const view: Obj = {
      id: identity.id,
      team_id: teamId,
      type: input.type,
      blocks: withBlockIds(input.blocks),
      private_metadata: input.private_metadata ?? '',
      callback_id: input.callback_id ?? '',
      state: { values: {} },
      hash: `${Math.floor(this.workspace.clock.now() / 1000)}.${randomBytes(6).toString('base64url')}`,
      title: input.title,
      clear_on_close: input.clear_on_close ?? false,
      notify_on_close: input.notify_on_close ?? false,
      close: input.close ?? null,
      submit: input.submit ?? null,
      previous_view_id: identity.previousViewId,
      root_view_id: identity.rootViewId,
      app_id: appId,
      external_id: input.external_id ?? '',
      app_installed_team_id: teamId,
      bot_id: botId,
    };
    this.views.set(identity.id, { view, userId: identity.userId });
    return { ok: true, view: structuredClone(view) };
  }

  private open(args: Obj): Obj {
    const view = this.workspace.checks.view(args.view, 'modal', 'views.open');
    this.assertExternalIdFree(view);
    const trigger = this.exchangeTrigger(args);
    const id = this.workspace.clock.nextId('V');
    return this.saveView(view, { id, rootViewId: id, previousViewId: null, userId: trigger.userId });
  }

  private push(args: Obj): Obj {
    const view = this.workspace.checks.view(args.view, 'modal', 'views.push');
    this.assertExternalIdFree(view);
    const trigger = this.exchangeTrigger(args);
    const parent = trigger.viewId ? this.views.get(trigger.viewId) : undefined;
    if (trigger.viewId && !parent) throw new PlatformError('not_found');
    if (trigger.viewId && this.stackDepth(trigger.viewId) >= VIEW_STACK_LIMIT) throw new PlatformError('push_limit_reached');
    const id = this.workspace.clock.nextId('V');
    const rootViewId = parent ? String(parent.view.root_view_id) : id;
    return this.saveView(view, { id, rootViewId, previousViewId: trigger.viewId ?? null, userId: trigger.userId });
  }

  /** How many views are stacked up to and including `viewId`. */
  private stackDepth(viewId: string): number {
    let depth = 0;
    for (let view = this.views.get(viewId)?.view; view; view = this.views.get(String(view.previous_view_id))?.view) depth += 1;
    return depth;
  }

  private update(args: Obj): Obj {
    const viewId = str(args, 'view_id');
    const externalId = str(args, 'external_id');
    const entry = [...this.views.entries()].find(([id, s]) => (viewId ? id === viewId : s.view.external_id === externalId));
    if (!entry) throw new PlatformError('not_found');
    const [id, stored] = entry;
    const hash = str(args, 'hash');
    if (hash !== undefined && hash !== stored.view.hash) throw new PlatformError('hash_conflict');
    const view = this.workspace.checks.view(args.view, stored.view.type === 'home' ? 'home' : 'modal', 'views.update');
    this.assertExternalIdFree(view, id);
    return this.saveView(
      { ...view, external_id: view.external_id ?? stored.view.external_id },
      {
        id,
        rootViewId: String(stored.view.root_view_id),
        previousViewId: stored.view.previous_view_id as string | null,
        userId: stored.userId,
      },
    );
  }

  private publish(args: Obj): Obj {
    const userId = str(args, 'user_id') ?? '';
    if (!this.workspace.users.has(userId)) throw errorWithMessages('invalid_arguments', ['invalid `user_id`']);
    const view = this.workspace.checks.view(args.view, 'home', 'views.publish');
    const existing = [...this.views.entries()].find(([, s]) => s.view.type === 'home' && s.userId === userId);
    const hash = str(args, 'hash');
    if (existing && hash !== undefined && hash !== existing[1].view.hash) throw new PlatformError('hash_conflict');
    const id = existing?.[0] ?? this.workspace.clock.nextId('V');
    this.assertExternalIdFree(view, id);
    return this.saveView(view, { id, rootViewId: id, previousViewId: null, userId });
  }
}
