/**
 * Message metadata (docs.slack.dev/messaging/message-metadata): `{event_type, event_payload}` that chat.postMessage
 * and chat.update attach to a message, and that conversations.history / conversations.replies return.
 *
 * What Slack does, and the emulator with it:
 * - Metadata that is not JSON, or not a JSON object, fails with `invalid_metadata_format`; an object without a
 *   string `event_type` and an object `event_payload` fails with `invalid_metadata_schema` (both errors are in the
 *   method descriptions).
 * - An `event_type` may hold only letters, digits and `_` (Slack's metadata reference, "Property basics"). One
 *   that does not is not an error: the message posts and the metadata is dropped (slackapi/bolt-python#863).
 * - chat.update keeps the previous metadata when the argument is absent and removes it when given `{}`.
 * - Reads return only `event_type` unless the caller asks for `include_all_metadata`; the payload of an event type
 *   that the app manifest does not declare is stripped, and chat.postMessage's own answer strips it too
 *   (slackapi/python-slack-sdk#1501). caseops declares none, so only `include_all_metadata` shows payloads.
 * - Slack's size limit (`metadata_too_large`) is not documented as a number, so the emulator does not enforce one.
 */
import type { SlackMessage } from './types';
import { type Obj, PlatformError, isObject } from './web-api';

const EVENT_TYPE = /^[A-Za-z0-9_]+$/;

/**
 * The metadata a chat.* call asks to store: an object to store, `null` to remove (chat.update's `{}`), or
 * undefined to leave the message's metadata as it is. Undecodable JSON was already refused by argument checking.
 */
export function requestedMetadata(args: Obj, method: 'chat.postMessage' | 'chat.update'): Obj | null | undefined {
  const value = args.metadata;
  if (value === undefined || value === null || value === '') return undefined;
  if (!isObject(value)) throw new PlatformError('invalid_metadata_format');
  if (method === 'chat.update' && Object.keys(value).length === 0) return null;
  if (typeof value.event_type !== 'string' || value.event_type === '' || !isObject(value.event_payload)) {
    throw new PlatformError('invalid_metadata_schema');
  }
  if (!EVENT_TYPE.test(value.event_type)) return undefined;
  return { event_type: value.event_type, event_payload: structuredClone(value.event_payload) };
}

/** A copy of a stored message as a reader sees it: the metadata payload only with `include_all_metadata`. */
export function messageAsRead(message: SlackMessage, includeAllMetadata: boolean): SlackMessage {
  const copy = structuredClone(message);
  if (!includeAllMetadata && isObject(copy.metadata)) copy.metadata = { event_type: copy.metadata.event_type };
  return copy;
}
