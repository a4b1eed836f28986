import { App } from '@slack/bolt';
import { withListenerRouter } from '../../src/slack/listener-router';

function boltApp(): App {
  return new App({ token: 'xoxb-test', signingSecret: 'secret', deferInitialization: true });
}

describe('withListenerRouter', () => {
  test('catalogues every registration by name, routed kinds and pass-through kinds alike', () => {
    const { app, catalog } = withListenerRouter(boltApp());
    app.command('/case', async () => undefined);
    app.action('case_close', async () => undefined);
    app.view('case_new_modal', async () => undefined);
    app.options('case_picker', async () => undefined);
    app.shortcut('case_new', async () => undefined);
    app.event('app_home_opened', async () => undefined);
    expect(catalog).toEqual({ command: ['/case'], action: ['case_close'], view: ['case_new_modal'], options: ['case_picker'], shortcut: ['case_new'], event: ['app_home_opened'] });
  });

  test('refuses a second listener for the same id: Bolt would run both', () => {
    const { app } = withListenerRouter(boltApp());
    app.action('case_close', async () => undefined);
    expect(() => app.action('case_close', async () => undefined)).toThrow('two app.action listeners for case_close');
  });

  test('refuses routed listeners it could not dispatch by id: patterns, constraint objects, middleware chains', () => {
    const { app } = withListenerRouter(boltApp());
    expect(() => app.action(/case_.*/, async () => undefined)).toThrow(/by a string id with one listener function/);
    expect(() => app.view({ callback_id: 'case_new_modal' }, async () => undefined)).toThrow(/by a string id/);
    expect(() => app.shortcut('case_new', async ({ next }) => next(), async () => undefined)).toThrow(/one listener function/);
    expect(() => app.event(/message/ as never, async () => undefined)).toThrow('app.event listeners are registered by name');
  });
});
