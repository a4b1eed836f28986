import { z } from 'zod';
import { AlertData, EventData, TimelineData, VisualizationData } from '../../src/cases/attachments';
import { inWritingOrder } from '../../src/kibana/stable-json';

/**
 * The attachment data an export writes whole (into markers, or as an alert's rule) comes from these schemas'
 * output, whose members follow the schema's order. Declared in sorted order, that output is written as it is;
 * a member added out of order would still export correctly, but every attachment of its kind would be copied
 * into order again.
 */
const WRITTEN_WHOLE = { event: EventData, timeline: TimelineData, visualization: VisualizationData, alert: AlertData };

/** Every object schema within `schema` (through optional, nullable and array), by where it is. */
function objectSchemas(schema: z.ZodType, at: string): [string, z.ZodObject][] {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) return objectSchemas(schema.unwrap() as z.ZodType, at);
  if (schema instanceof z.ZodArray) return objectSchemas(schema.element as z.ZodType, `${at}[]`);
  if (!(schema instanceof z.ZodObject)) return [];
  const inner = Object.entries(schema.shape as Record<string, z.ZodType>).flatMap(([key, member]) => objectSchemas(member, `${at}.${key}`));
  return [[at, schema], ...inner];
}

describe('attachment schemas the export writes whole', () => {
  const objects = Object.entries(WRITTEN_WHOLE).flatMap(([type, schema]) => objectSchemas(schema, type));

  test('reach every nested object', () => {
    expect(objects.map(([at]) => at)).toEqual(
      expect.arrayContaining(['event', 'event.document', 'event.message', 'event.message.author', 'event.message.channel', 'event.message.files[]', 'visualization.slackFile', 'alert.rule']),
    );
  });

  test.each(objects)('%s declares its members in sorted order', (_at, schema) => {
    const keys = Object.keys(schema.shape);
    expect(keys).toEqual([...keys].sort());
  });

  test("give output the export writes without copying it into order", () => {
    const event = EventData.parse({
      captureId: 'V0CAPTURE',
      document: { id: 'doc-1', index: 'caseops-events' },
      fromPrivateChannel: false,
      message: {
        author: { id: 'U0ANA', name: 'ana' },
        channel: { id: 'C0SOC', isPrivate: false, name: 'soc' },
        deleted: false,
        edited: true,
        files: [{ id: 'F0001', mimetype: 'text/plain', name: 'log.txt', permalink: 'https://acme.slack.com/files/F0001', size: 12 }],
        originalText: 'beacon',
        permalink: 'https://acme.slack.com/archives/C0SOC/p1767225600000200',
        teamId: 'T0001',
        text: 'beacon to 198.51.100.7',
        threadTs: '1767225600.000100',
        ts: '1767225600.000200',
      },
      note: 'first sighting',
    });
    expect(inWritingOrder(event)?.value).toBe(event);
  });
});
