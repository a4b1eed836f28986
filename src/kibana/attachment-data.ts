import { ATTACHMENT_DATA, type EventData } from '../cases/attachments';
import type { AttachmentType } from '../cases/model';
import type { z } from 'zod';

type DataOf<T extends AttachmentType> = z.infer<(typeof ATTACHMENT_DATA)[T]>;

/** An attachment's data, validated and typed by its attachment type. */
export type TypedAttachmentData = { [T in AttachmentType]: { type: T; data: DataOf<T> } }[AttachmentType];

export function typedAttachmentData(type: AttachmentType, data: unknown): TypedAttachmentData | undefined {
  const parsed = ATTACHMENT_DATA[type].safeParse(data);
  return parsed.success ? ({ type, data: parsed.data } as TypedAttachmentData) : undefined;
}

/** An event Kibana can hold as its own event attachment: the target has the type and the message has a document. */
export function isKibanaEvent(event: EventData, eventAttachments: boolean): event is EventData & { document: { index: string; id: string } } {
  return eventAttachments && event.document !== undefined;
}
