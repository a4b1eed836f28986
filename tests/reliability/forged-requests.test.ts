import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Harness, SIGNING_SECRET } from '../support/harness';
import { signSlackRequest } from '../support/slack-driver';
import { CapturingDriver } from './support/drivers';
import { quiet } from './support/observations';
import { watchUnhandledRejections } from './support/process-watch';
import { SuiteTally } from './support/report';
import { fuzzRuns, scaled, scaledTimeout } from './support/scale';
import { auditStore } from './support/store-audit';
import { until } from './support/async';
import { CHANNEL, input } from './support/targets';
import { postWire, type WireRequest } from './support/wire';

/**
 * Requests not signed by Slack must be refused before any listener runs (DESIGN.md §9). Every forgery here
 * starts from a genuine request of one of the app's surfaces, changed the way an attacker, a replay or a
 * broken proxy would change it.
 */

const FORM = 'application/x-www-form-urlencoded';
/** src/slack/app.ts gives Bolt's HTTPReceiver `bodyLimit: '1mb'`. */
const BODY_LIMIT = 1024 * 1024;
/** Bolt refuses timestamps older than five minutes. */
const STALE_AFTER_SECONDS = 5 * 60;

/** A request as the driver builds it for a surface, before any header is added. */
interface Genuine {
  surface: string;
  body: string;
  contentType: string;
}

type WireParts = Omit<WireRequest, 'url'>;

/** A way to forge: a description fast-check can print, the answer it must get, and how to apply it. */
interface Forgery {
  label: string;
  expected: 200 | 400 | 401 | 413;
  /** Only form bodies can be forged this way. */
  formsOnly?: true;
  forge(genuine: Genuine, now: number): WireParts;
}

/** A forgery applied to one genuine request, built when sent (timestamps are relative to then). */
interface ForgedRequest {
  label: string;
  expected: Forgery['expected'];
  build(now: number): WireParts;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

function signedHeaders(genuine: Genuine, timestamp: number, body: string | Buffer = genuine.body): Record<string, string> {
  return {
    'content-type': genuine.contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': signSlackRequest(SIGNING_SECRET, timestamp, body.toString()),
  };
}

function flippedByte(position: number, mask: number): Forgery {
  return {
    label: `byte at ${(position * 100).toFixed(1)}% of the body XOR ${mask}`,
    expected: 401,
    forge: (genuine, now) => {
      const body = Buffer.from(genuine.body);
      const index = Math.min(body.length - 1, Math.floor(position * body.length));
      body[index] = (body[index] ?? 0) ^ mask;
      return { headers: signedHeaders(genuine, now), body };
    },
  };
}

function signatureOfAnotherBody(other: Genuine): Forgery {
  return {
    label: `signature of the ${other.surface} request`,
    expected: 401,
    forge: (genuine, now) => ({ headers: signedHeaders(genuine, now, other.body === genuine.body ? `${other.body}&` : other.body), body: genuine.body }),
  };
}

function staleTimestamp(secondsOld: number, resigned: boolean): Forgery {
  return {
    label: `timestamp ${(secondsOld / 60).toFixed(1)} minutes old, ${resigned ? 'signed for it' : 'signature of now'}`,
    expected: 401,
    forge: (genuine, now) => {
      const headers = signedHeaders(genuine, resigned ? now - secondsOld : now);
      return { headers: { ...headers, 'x-slack-request-timestamp': String(now - secondsOld) }, body: genuine.body };
    },
  };
}

function shiftedTimestamp(seconds: number): Forgery {
  return {
    label: `timestamp moved by ${seconds} s without re-signing`,
    expected: 401,
    forge: (genuine, now) => ({ headers: { ...signedHeaders(genuine, now), 'x-slack-request-timestamp': String(now + seconds) }, body: genuine.body }),
  };
}

const SLACK_HEADERS = { signature: 'x-slack-signature', timestamp: 'x-slack-request-timestamp' } as const;
type SlackHeader = keyof typeof SLACK_HEADERS;

function missingHeaders(missing: SlackHeader[]): Forgery {
  return {
    label: `no ${missing.join(' and no ')} header`,
    expected: 401,
    forge: (genuine, now) => {
      const headers: Record<string, string> = signedHeaders(genuine, now);
      for (const header of missing) delete headers[SLACK_HEADERS[header]];
      return { headers, body: genuine.body };
    },
  };
}

function doubledHeader(header: SlackHeader, secondValue: 'same' | 'another'): Forgery {
  return {
    label: `${header} header sent twice (${secondValue} value)`,
    expected: 401,
    forge: (genuine, now) => {
      const headers: Record<string, string | string[]> = signedHeaders(genuine, now);
      const name = SLACK_HEADERS[header];
      const first = headers[name] as string;
      const second = secondValue === 'same' ? first : header === 'timestamp' ? String(now - 1) : signSlackRequest(SIGNING_SECRET, now, 'another body');
      headers[name] = [first, second];
      return { headers, body: genuine.body };
    },
  };
}

const MALFORMED_SIGNATURES: [string, (valid: string) => string][] = [
  ['version v1', (valid) => valid.replace(/^v0=/, 'v1=')],
  ['upper-case hex', (valid) => `v0=${valid.slice(3).toUpperCase()}`],
  ['no version prefix', (valid) => valid.slice(3)],
  ['empty', () => ''],
  ['version only', () => 'v0='],
  ['truncated', (valid) => valid.slice(0, -1)],
  ['one hex digit changed', (valid) => `${valid.slice(0, -1)}${valid.endsWith('0') ? '1' : '0'}`],
];

function malformedSignature(index: number): Forgery {
  const [name, malform] = MALFORMED_SIGNATURES[index]!;
  return {
    label: `signature ${name}`,
    expected: 401,
    forge: (genuine, now) => {
      const headers = signedHeaders(genuine, now);
      return { headers: { ...headers, 'x-slack-signature': malform(headers['x-slack-signature']!) }, body: genuine.body };
    },
  };
}

/** Correctly signed, so only the content type is wrong: the body cannot be read and nothing runs. */
function wrongContentType(contentType: string | null): Forgery {
  return {
    label: contentType === null ? 'no content type' : `content type ${contentType}`,
    expected: 400,
    // A JSON body is parsed as JSON whatever the header says, so only a form body becomes unreadable.
    formsOnly: true,
    forge: (genuine, now) => {
      const { 'content-type': _form, ...headers } = signedHeaders(genuine, now);
      return { headers: contentType === null ? headers : { ...headers, 'content-type': contentType }, body: genuine.body };
    },
  };
}

function hugeBody(bytes: number, signed: boolean, chunked: boolean): Forgery {
  return {
    label: `${(bytes / BODY_LIMIT).toFixed(2)} MB body, ${signed ? 'signed' : 'unsigned'}, ${chunked ? 'chunked' : 'with Content-Length'}`,
    expected: 413,
    forge: (genuine, now) => {
      const body = Buffer.alloc(bytes, 'a');
      body.write(genuine.body);
      const headers = signed ? signedHeaders(genuine, now, body) : { 'content-type': genuine.contentType };
      return { headers, body, chunked };
    },
  };
}

/** A body nobody signed: the classic forgery. */
function unsignedBody(body: string, contentType: string): Forgery {
  return {
    label: `unsigned ${contentType} body ${JSON.stringify(body.slice(0, 60))}`,
    expected: 401,
    forge: (_genuine, now) => ({ headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(now), 'x-slack-signature': `v0=${'0'.repeat(64)}` }, body }),
  };
}

/**
 * Slack's SSL check is the one request Bolt answers without a signature; it must strip whatever rides
 * along, so a genuine payload smuggled in with `ssl_check=1` runs nothing.
 */
function smuggledInSslCheck(): Forgery {
  return {
    label: 'genuine payload smuggled into an unsigned ssl_check',
    expected: 200,
    forge: (genuine) => ({ headers: { 'content-type': FORM }, body: `ssl_check=1&${genuine.body}` }),
  };
}

describe('forged requests are refused before any listener runs', () => {
  const tally = new SuiteTally('forged');
  let harness: Harness;
  let genuine: Genuine[];
  const unhandled = watchUnhandledRejections();

  beforeAll(async () => {
    harness = await Harness.start();
    genuine = await buildGenuineRequests(harness);
    harness.emulator.reset(); // forget auth.test from start-up: from here on, any Slack call is a listener's
  });

  afterAll(async () => {
    tally.recordWatched(unhandled);
    await harness.stop();
  });

  const forgeryArb: fc.Arbitrary<Forgery> = fc.oneof(
    { weight: 20, arbitrary: fc.tuple(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.integer({ min: 1, max: 255 })).map(([at, mask]) => flippedByte(at, mask)) },
    { weight: 10, arbitrary: fc.nat().map((index) => signatureOfAnotherBody(genuine[index % genuine.length]!)) },
    { weight: 15, arbitrary: fc.tuple(fc.integer({ min: STALE_AFTER_SECONDS + 1, max: 600 * 60 }), fc.boolean()).map(([old, resigned]) => staleTimestamp(old, resigned)) },
    { weight: 8, arbitrary: fc.integer({ min: -600, max: 600 }).filter((shift) => shift !== 0).map(shiftedTimestamp) },
    { weight: 8, arbitrary: fc.subarray<SlackHeader>(['signature', 'timestamp'], { minLength: 1 }).map(missingHeaders) },
    { weight: 8, arbitrary: fc.tuple(fc.constantFrom<SlackHeader>('signature', 'timestamp'), fc.constantFrom('same' as const, 'another' as const)).map(([header, value]) => doubledHeader(header, value)) },
    { weight: 8, arbitrary: fc.integer({ min: 0, max: MALFORMED_SIGNATURES.length - 1 }).map(malformedSignature) },
    { weight: 8, arbitrary: fc.constantFrom('application/json', 'text/plain', 'multipart/form-data; boundary=x', `${FORM}; charset=utf-8`, 'application/xml', null).map(wrongContentType) },
    { weight: 2, arbitrary: fc.tuple(fc.integer({ min: BODY_LIMIT + 1, max: 4 * BODY_LIMIT }), fc.boolean(), fc.boolean()).map(([bytes, signed, chunked]) => hugeBody(bytes, signed, chunked)) },
    { weight: 8, arbitrary: fc.tuple(fc.string({ maxLength: 300 }), fc.constantFrom(FORM, 'application/json')).map(([body, type]) => unsignedBody(body, type)) },
    { weight: 3, arbitrary: fc.constant(smuggledInSslCheck()) },
  );

  const forgedRequestArb = (): fc.Arbitrary<ForgedRequest> =>
    forgeryArb.chain((forgery) =>
      fc.constantFrom(...genuine.filter((request) => !forgery.formsOnly || request.contentType === FORM)).map((request) => ({
        label: `${request.surface}: ${forgery.label}`,
        expected: forgery.expected,
        build: (now: number) => forgery.forge(request, now),
      })),
    );

  test(
    `${scaled(1000)} forgeries of genuine requests: each refused (401/400/413, or ssl_check's empty 200), nothing sent to Slack, nothing stored`,
    async () => {
      const url = `${harness.baseUrl}/slack/events`;
      await fc.assert(
        fc.asyncProperty(forgedRequestArb(), async (forged) => {
          tally.add('requestsTried');
          const answer = await postWire({ url, ...forged.build(nowSeconds()) });
          expect({ forgery: forged.label, answer }).toEqual({ forgery: forged.label, answer: { status: forged.expected, body: '' } });
        }),
        fuzzRuns(scaled(1000)),
      );
      const audit = await auditStore(harness.dataDir);
      const reachedListeners = harness.emulator.calls.length + harness.emulator.responses.length;
      tally.add('leaks', reachedListeners + audit.cases.length + audit.userActions);
      tally.note(`${genuine.length} genuine requests (${genuine.map((r) => r.surface).join(', ')}) forged ${tally.figures.requestsTried.toLocaleString('en-US')} ways: flipped bytes, signatures of other bodies, timestamps 5–600 minutes stale or moved, missing, doubled and malformed signature/timestamp headers, wrong content types, bodies over 1 MB (chunked or not), unsigned bodies, ssl_check smuggling.`);
      tally.note(`Slack calls and response_url posts caused: ${reachedListeners}; cases and user actions in the store: ${audit.cases.length} and ${audit.userActions}.`);
      expect(harness.emulator.calls).toEqual([]);
      expect(harness.emulator.responses).toEqual([]);
      expect(audit).toMatchObject({ cases: [], userActions: 0, attachments: 0, problems: [] });
      expect(unhandled.unhandledRejections).toEqual([]);
    },
    scaledTimeout(120_000),
  );

  test('the same requests, genuinely signed, are accepted and acted on: the refusals above were the forgeries', async () => {
    const url = `${harness.baseUrl}/slack/events`;
    for (const request of genuine) {
      const answer = await postWire({ url, headers: signedHeaders(request, nowSeconds()), body: request.body });
      expect({ surface: request.surface, status: 'status' in answer ? answer.status : answer.error }).toEqual({ surface: request.surface, status: 200 });
    }
    // The slash command and the new-case modal each open a case.
    const titles = async () => (await auditStore(harness.dataDir)).cases.map((theCase) => theCase.title).sort();
    await until('the two genuine case openings', async () => (await titles()).length === 2);
    expect(await titles()).toEqual(['Forged', 'Forged case']);
    await quiet(harness.emulator); // the genuine requests' work is done before the emulator goes
  });
});

/**
 * One genuine request per surface, as the driver builds it: a slash command, card buttons, modal
 * submissions, shortcuts, a typeahead and Events API callbacks.
 */
async function buildGenuineRequests(harness: Harness): Promise<Genuine[]> {
  const capture = new CapturingDriver({ appUrl: 'http://unused.invalid/slack/events', signingSecret: SIGNING_SECRET, emulator: harness.emulator });
  const message = harness.emulator.addMessage({ channel: CHANNEL, user: 'U0BOB', text: 'beacon to 203.0.113.7' });
  const caseId = randomUUID();
  const surfaces: [string, () => Promise<unknown>][] = [
    ['/case new', () => capture.command('new Forged case sev:high #forged')],
    ['/case comment', () => capture.command('comment 1 forged comment')],
    ['Close button', () => capture.blockAction({ actionId: 'case_close', blockId: `case:${caseId}`, value: caseId, messageTs: '1700000000.000100' })],
    ['new-case modal', () => capture.viewSubmission({ callbackId: 'case_new_modal', privateMetadata: JSON.stringify({ channelId: CHANNEL }), values: { title: input('Forged') } })],
    ['comment modal', () => capture.viewSubmission({ callbackId: 'case_comment_modal', privateMetadata: JSON.stringify({ caseId }), values: { comment: input('forged') } })],
    ['New case shortcut', () => capture.globalShortcut({ callbackId: 'case_new' })],
    ['Add to case shortcut', () => capture.messageShortcut({ callbackId: 'case_add_message', message })],
    ['case picker typeahead', () => capture.blockSuggestion({ actionId: 'case_picker', value: 'forged' })],
    ['message_changed event', () => capture.event({ type: 'message', subtype: 'message_changed', channel: CHANNEL, hidden: true, ts: '1700000001.000100', message: { type: 'message', user: 'U0BOB', text: 'edited', ts: message.ts } })],
    ['app_home_opened event', () => capture.event({ type: 'app_home_opened', user: 'U0ALICE', channel: 'D0ALICE', tab: 'home' })],
  ];
  for (const [, build] of surfaces) await build();
  return capture.captured.map((request, index) => ({ surface: surfaces[index]![0], body: request.body, contentType: request.contentType ?? 'text/plain' }));
}
