/**
 * Bugs this suite found in src/, open and fixed; RELIABILITY.md lists them from here. An open bug is
 * reproduced by a `test.failing`, which passes while the bug is there and fails once it is fixed: then make
 * it a plain `test` (it keeps the bug fixed) and set `fixedIn` here.
 */
export interface KnownBug {
  id: string;
  title: string;
  severity: 'high' | 'medium' | 'low';
  /** The commit that fixed it; absent while it is open. */
  fixedIn?: string;
  /** `file › test name` of the test that reproduces it. */
  guardedBy: string;
  reproduction: string;
  expected: string;
  actual: string;
  cause: string;
}

const bug = (entry: KnownBug): KnownBug => entry;

export const KNOWN_BUGS = {
  cardRecordRace: bug({
    id: 'BUG-CARD-RECORD-RACE',
    title: 'A change made while Slack is slow to take a new card orphans the card for good',
    severity: 'high',
    fixedIn: '1facb5a',
    guardedBy: 'slack-faults.test.ts › BUG-CARD-RECORD-RACE: a change while Slack is slow to take the card does not orphan the card',
    reproduction: '`/case new Slow card` while chat.postMessage answers after 800 ms; meanwhile `/case severity <n> high` on the new case. Also hit by the genuine-request control of the forged-request suite (`/case new` followed at once by `/case comment 1 …`), and in real use by the indicators of a case opened from a message.',
    expected: 'The card ts is stored with the case (later changes edit the card and reply in its thread); nothing says the card failed.',
    actual: 'The card is posted, but origin.cardTs is never stored: every later change skips the card (publishChange returns early without cardTs). The channel gets a second message, "Case #1 is open, but I could not post its card (Slack did not answer)", under the card that was posted, and an error is logged.',
    cause: 'src/cases/service.ts recordCardMessage wrote `{...theCase, origin: {cardTs}}` with `theCase.version` from before the post and no re-plan on VersionConflictError (every other change goes through CaseAccess.change); src/slack/case-card-publisher.ts called it inside the try around chat.postMessage, so the conflict was reported as a failed post.',
  }),
  broadcastTitle: bug({
    id: 'BUG-BROADCAST-TITLE',
    title: 'A case title can make the bot @channel / @here the whole channel',
    severity: 'high',
    fixedIn: '1facb5a',
    guardedBy: 'command-fuzz.test.ts › BUG-BROADCAST-TITLE: a title with <!channel> does not make the card notify the channel',
    reproduction: '`/case new Phish @channel wave` (Slack sends `&lt;!channel&gt;` or `<!channel>` in the command text); the same through the new-case modal or the Edit modal.',
    expected: 'The card\'s notification text shows the title as text; nobody is notified but as usual.',
    actual: 'chat.postMessage (and every chat.update of the card) carries `text: "Case #1: Phish <!channel> wave (low, open)"`; Slack parses `text` as mrkdwn, so the bot notifies everyone in the channel — something the user may not be allowed to do, repeated by the bot on their behalf. `<@U…>` in a title pings that user the same way.',
    cause: 'src/slack/blocks/case-format.ts caseSummaryText put the raw title into the message `text` (src/slack/blocks/case-card.ts caseCard); the blocks escaped it (escapeMrkdwn), the notification text did not.',
  }),
  dupCommand: bug({
    id: 'BUG-DUP-COMMAND',
    title: 'A slash command delivered twice created twice',
    severity: 'medium',
    fixedIn: '1facb5a',
    guardedBy: 'duplicate-deliveries.test.ts › every write path delivered 2–3 times (4 rounds, 1,000+ deliveries) has the effect of one delivery (its /case new and /case comment paths)',
    reproduction: 'Deliver the same signed `/case new <title>` or `/case comment <n> <text>` request twice (same trigger_id and response_url), at once or one after the other.',
    expected: 'One case (one card), one comment — as for `/case chart`, which keys its work on the trigger_id.',
    actual: 'Two cases with two cards and two create_case actions; two comments with two thread lines.',
    cause: 'src/slack/commands/case-command.ts: openCase called service.openCase without an idempotency key and `comment` called service.addComment without one, though the command\'s trigger_id was there (and used by `chart`).',
  }),
  dupExport: bug({
    id: 'BUG-DUP-EXPORT',
    fixedIn: 'beafa1f, 8dfdca9',
    title: 'An export requested twice is posted twice',
    severity: 'low',
    guardedBy: 'duplicate-deliveries.test.ts › BUG-DUP-EXPORT: /case export delivered twice | the Export button pressed twice posts one export',
    reproduction: 'Deliver the same `/case export <n>` request twice, or double-tap Export on a case card (two payloads).',
    expected: 'One export file in the channel, as every other write has one effect when repeated.',
    actual: 'Two progress messages and two export files.',
    cause: 'No key for the request: src/slack/commands/case-command.ts (`export` → runExport, the only command left unkeyed after the BUG-DUP-COMMAND fix) and src/slack/actions/card-actions.ts (CARD_ACTIONS.export → runExport in src/slack/kibana/export.ts).',
  }),
  responseUrlFalseFailure: bug({
    id: 'BUG-RESPONSE-URL-FALSE-FAILURE',
    title: 'A saved change is reported as "nothing was changed" when Slack refuses the confirmation',
    severity: 'medium',
    fixedIn: '1facb5a',
    guardedBy: 'slack-faults.test.ts › BUG-RESPONSE-URL-FALSE-FAILURE: a saved comment whose confirmation Slack refused is not reported as "nothing was changed"',
    reproduction: '`/case comment <n> Isolated the host` while the response_url answers 500 once (or is used up / expired).',
    expected: 'The comment is stored once and the user is not told otherwise (at worst, that the confirmation could not be shown).',
    actual: 'The comment is stored and the card updated, then the user gets ":warning: Something went wrong on our side and nothing was changed. Please try again" — and a retry adds a second comment.',
    cause: 'src/slack/commands/case-command.ts: the catch-all around runCommand also caught the failed confirmation `respond` of applyChange and answered with replyForError, whose unexpected-error text claims nothing changed.',
  }),
  staleCaptureAck: bug({
    id: 'BUG-STALE-CAPTURE-ACK',
    title: 'A message modal submitted after its capture expired is never acked and never done',
    severity: 'medium',
    fixedIn: '1facb5a',
    guardedBy: 'interactivity-fuzz.test.ts › BUG-STALE-CAPTURE-ACK: an Add to case modal submitted after its message capture expired is acked within 3 s',
    reproduction: '"Add to case" on a message, leave the modal open past the capture\'s one-hour TTL (the test expires the draft in SQLite), pick a case, submit. Same for "New case from message".',
    expected: 'An ack within 3 s and a clear message (use the shortcut again).',
    actual: 'The ack waits 3 s for the capture, Bolt answers 404 at 3 s (Slack shows "We had some trouble connecting" in the modal), the late ack then throws ERR_HTTP_HEADERS_SENT and the work never runs: nothing attached, nobody told.',
    cause: 'src/slack/views/evidence-submissions.ts and src/slack/views/submissions.ts called waitForCapture (src/slack/evidence-capture.ts, up to CAPTURE_WAIT_MS = 3000) in `next`, which onSubmit awaits before `ack` (src/slack/views/submission-handler.ts).',
  }),
  captureSaysNoCase: bug({
    id: 'BUG-CAPTURE-SAYS-NO-CASE',
    title: 'An expired message capture is reported as "That case does not exist"',
    severity: 'low',
    fixedIn: '1facb5a',
    guardedBy: 'interactivity-fuzz.test.ts › BUG-CAPTURE-SAYS-NO-CASE: an expired capture is explained as such, not as a missing case',
    reproduction: 'As for BUG-STALE-CAPTURE-ACK; visible once that one is fixed.',
    expected: 'A message saying the message could not be read back and to use the shortcut again (as the new-case modal says).',
    actual: 'The work throws CaseNotFoundError(\'the message\'), rendered by replyForError as "That case does not exist. `/case list` shows the cases you can see." about a case that exists.',
    cause: 'src/slack/views/evidence-submissions.ts threw `new CaseNotFoundError(\'the message\')`; src/slack/views/submissions.ts threw an InvalidInputError for the same situation.',
  }),
  headerUtf16: bug({
    id: 'BUG-HEADER-UTF16',
    title: 'Titles with emoji or other astral characters can make the card too long for Slack',
    severity: 'medium',
    fixedIn: '1facb5a',
    guardedBy: 'command-fuzz.test.ts › BUG-HEADER-UTF16: a case titled with 80 emoji gets its card',
    reproduction: '`/case new 🔥🔥…` with 80 emoji (160 UTF-16 units: a valid title).',
    expected: 'The case opens and its card is posted, the header cut to Slack\'s 150 characters.',
    actual: 'chat.postMessage fails with invalid_blocks ("must be less than 151 characters" at /blocks/0/text/text): the case exists without a card; the user gets the "could not post its card" fallback.',
    cause: 'src/slack/blocks/text.ts truncate counted code points (Array.from), used with HEADER_LIMIT = 150 by src/slack/blocks/case-card.ts; Slack\'s limit (as the emulator enforces it, like the title limit in the model) counts UTF-16 units, so a header of 150 code points could be 300 units.',
  }),
  listLongTag: bug({
    id: 'BUG-LIST-LONG-TAG',
    title: '`/case list #<long tag>` answers with a reply Slack refuses',
    severity: 'low',
    fixedIn: '1facb5a',
    guardedBy: 'command-fuzz.test.ts › BUG-LIST-LONG-TAG: /case list #<3,000-character tag> answers with a reply Slack accepts',
    reproduction: '`/case list #xxxx…` with a 3,000-character tag (found by the fuzz from 2,900 characters on).',
    expected: '"No open or in progress cases tagged #xxx…", shortened to fit.',
    actual: 'The reply\'s section is over 3,000 characters: Slack answers invalid_blocks, the handler falls back to "Something went wrong on our side and nothing was changed".',
    cause: 'src/slack/commands/case-command.ts describeFilter put the whole tag into the description; src/slack/blocks/case-list.ts put it into a section without truncate.',
  }),
  cardUpdateSilent: bug({
    id: 'BUG-CARD-UPDATE-SILENT',
    fixedIn: 'beafa1f',
    title: 'A card button whose card edit Slack refuses gives no word at all',
    severity: 'low',
    guardedBy: 'slack-faults.test.ts › BUG-CARD-UPDATE-SILENT: a Close whose card edit Slack refuses tells the person it is closed',
    reproduction: 'Press Close on a card while chat.update fails for good (cant_update_message, or 500 through every retry).',
    expected: 'The case is closed (it is) and the person who pressed is told so, e.g. by an ephemeral reply through the action\'s response_url.',
    actual: 'The change is stored; the card still shows Open; no reply, no thread line. The person sees nothing happen and presses again ("nothing to change").',
    cause: 'src/slack/case-activity.ts:28 publishChange logs the failure and returns; src/slack/actions/card-actions.ts showChange answers only for ephemeral cards and modals.',
  }),
  shortcutSilent: bug({
    id: 'BUG-SHORTCUT-SILENT',
    title: 'A message shortcut whose modal cannot open fails silently',
    severity: 'low',
    fixedIn: '1facb5a',
    guardedBy: 'slack-faults.test.ts › BUG-SHORTCUT-SILENT: an Add to case shortcut whose modal cannot open tells the user',
    reproduction: '"Add to case" (or "New case from message") while views.open answers expired_trigger_id (Slack took over 3 s) or fails for good.',
    expected: 'An ephemeral reply through the shortcut\'s response_url saying the form could not open and to try again.',
    actual: 'Nothing: the listener throws, Bolt logs "An unhandled error occurred after ack()"; the user tapped and nothing happened.',
    cause: 'src/slack/shortcuts/message-shortcuts.ts awaited views.open with no error handling.',
  }),
  redeliveredModalError: bug({
    id: 'BUG-REDELIVERED-MODAL-ERROR',
    fixedIn: 'beafa1f',
    title: 'A redelivered button or shortcut that opens a modal also tells the user it failed',
    severity: 'low',
    guardedBy: 'duplicate-deliveries.test.ts › BUG-REDELIVERED-MODAL-ERROR: the Comment button | the Add to case shortcut delivered twice opens its modal and says nothing else',
    reproduction: 'Deliver the same Comment (or Edit, Events, Chart) block_actions payload twice, or the same "Add to case" / "New case from message" shortcut payload twice.',
    expected: 'One modal, nothing else: the second delivery is a duplicate.',
    actual: 'One modal (Slack exchanges a trigger_id once), plus, for the second delivery\'s exchanged_trigger_id, an ephemeral "Something went wrong on our side…" and an error log (buttons), or "Slack did not let me open the form (it took too long). Please use the shortcut again." (shortcuts, since the BUG-SHORTCUT-SILENT fix) — next to the form that did open.',
    cause: 'src/slack/actions/card-actions.ts onCard answers every failure with replyForError, and src/slack/shortcuts/message-shortcuts.ts openOrSay answers every views.open failure; exchanged_trigger_id means the modal is already open and needs no answer.',
  }),
  chartModalGeneric: bug({
    id: 'BUG-CHART-MODAL-GENERIC',
    title: 'A chart modal choice that does not parse is treated as a crash',
    severity: 'low',
    fixedIn: '1facb5a',
    guardedBy: 'interactivity-fuzz.test.ts › BUG-CHART-MODAL-GENERIC: a chart modal choice this version does not offer is answered with what is wrong',
    reproduction: 'Submit the Chart modal with a menu value this version does not offer (a modal opened before an upgrade or a rollback), e.g. What = "alerts split rule".',
    expected: 'A direct message with the parser\'s explanation ("I can\'t chart `alerts` …").',
    actual: '"Something went wrong on our side and nothing was changed", and an error logged as an unexpected failure.',
    cause: 'src/slack/charts/chart-modal.ts threw `new Error(request.error)` instead of an InvalidInputError.',
  }),
  unknownIds: bug({
    id: 'BUG-UNKNOWN-IDS',
    fixedIn: 'beafa1f',
    title: 'Buttons, modals and menus no listener knows are never acked',
    severity: 'low',
    guardedBy: 'interactivity-fuzz.test.ts › BUG-UNKNOWN-IDS: a button no listener knows (from a card of another version) is acked within 3 s and explained',
    reproduction: 'A block_actions, view_submission or block_suggestion whose action, callback or options id no listener has — a card or modal from another version of caseops (a rollback, a renamed action id).',
    expected: 'An ack, and a word that the button no longer works.',
    actual: 'Nothing acks it; Bolt answers 404 after 3 s and Slack shows the user an error.',
    cause: 'src/slack/app.ts:70 registerListeners has no fallback listener for unknown action/view/options ids.',
  }),
} satisfies Record<string, KnownBug>;
