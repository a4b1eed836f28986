import type { Attachment } from '../../cases/model';
import { messageKeyOf } from '../../cases/message-key';
import type { ChildBody, ChildKind, IndexedChildFields } from './child-documents';

/** The two kinds of children of a case and the fields each indexes for the queries made on it. */

export function attachmentKind(index: string): ChildKind {
  return {
    index,
    noun: 'attachment',
    indexed: (bodies): IndexedChildFields => ({
      type: distinct(bodies.map((body) => body.type)),
      message_key: distinct((bodies as readonly Attachment[]).map(messageKeyOf).filter((key): key is string => key !== null)),
    }),
  };
}

export function userActionKind(index: string): ChildKind {
  return { index, noun: 'user action', indexed: (bodies: readonly ChildBody[]) => ({ action_type: distinct(bodies.map((body) => body.type)) }) };
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}
