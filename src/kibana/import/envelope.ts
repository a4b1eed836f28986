import { z } from 'zod';
import type { Attributes, SavedObjectReference } from '../saved-objects';
import type { ParsedObject } from './parse';
import { fileError, type ImportProblem, type ObjectPlace, objectError } from './problems';

/** An object with a usable type and id, unique in the file. */
export interface IdentifiedObject extends ObjectPlace {
  value: Record<string, unknown>;
}

/**
 * Type and id come first: without them an object cannot even be blamed on a case, so their absence refuses
 * the file; so does a repeated type:id, exactly as Kibana refuses it ("Non-unique import objects detected").
 */
export function identifyObjects(objects: readonly ParsedObject[]): { identified: IdentifiedObject[]; problems: ImportProblem[] } {
  const identified: IdentifiedObject[] = [];
  const problems: ImportProblem[] = [];
  const firstLine = new Map<string, number>();
  for (const { line, value } of objects) {
    const { type, id } = value;
    if (typeof type !== 'string' || !type || typeof id !== 'string' || !id) {
      problems.push(fileError('missing_id_or_type', 'This object has no valid "type" and "id" (both must be non-empty strings), so it cannot be imported or even tied to a case.', line));
      continue;
    }
    const key = `${type}:${id}`;
    const seen = firstLine.get(key);
    if (seen !== undefined) {
      problems.push(fileError('duplicate_object', `Non-unique import objects detected: ${key} is on line ${seen} and again here. Kibana refuses such files, and so does caseops.`, line));
      continue;
    }
    firstLine.set(key, line);
    identified.push({ line, type, id, value });
  }
  return { identified, problems };
}

const Reference = z.object({ id: z.string(), name: z.string(), type: z.string() });

const Envelope = z.object({
  attributes: z.record(z.string(), z.unknown()),
  references: z.array(Reference).optional(),
  typeMigrationVersion: z.string().optional(),
  migrationVersion: z.record(z.string(), z.string()).optional(),
  coreMigrationVersion: z.string().optional(),
});

/** The envelope fields import uses; the rest (`version`, `score`, `sort`, `namespaces`…) Kibana ignores too. */
export interface Envelope {
  attributes: Attributes;
  references: SavedObjectReference[];
  typeMigrationVersion?: string;
  migrationVersion?: Record<string, string>;
  coreMigrationVersion?: string;
}

export function readEnvelope(object: IdentifiedObject): { envelope: Envelope } | { problem: ImportProblem } {
  const parsed = Envelope.safeParse(object.value);
  if (!parsed.success) return { problem: objectError(object, 'invalid_object', `This ${object.type} object is malformed: ${describeIssues(parsed.error)}.`) };
  return { envelope: { ...parsed.data, references: parsed.data.references ?? [] } };
}

/** zod issues as one plain sentence: `attributes.title: expected string, received number; …`. */
export function describeIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
      return `${path || 'the object'}: ${issue.message.replace(/^Invalid input: /, '')}`;
    })
    .join('; ');
}
