import { readCaseDescription, writeCaseDescription } from '../../src/kibana/case-marker';
import { appendMarker } from '../../src/kibana/markers';

describe('the case marker', () => {
  const origin = { teamId: 'T0CASEOPS', channelId: 'C0SOC', channelName: 'soc <main>', isPrivate: false, cardTs: '1767225600.000100' };
  // Ids that sort differently as text and as numbers, one JavaScript enumerates first, one that names the prototype.
  const ids = ['9e0c2a4e-8b3d-4e5f-9a7b-1c2d3e4f5a6b', '10', '2', '__proto__', 'a-note'];
  const notes = new Map(ids.map((id, index) => [id, { documentId: index % 2 ? null : `ti-${index}`, source: 'message' as const }]));

  it('is written as the generic marker writer writes the same data as an object', () => {
    const asObject = { indicators: Object.fromEntries(notes), origin };
    expect(writeCaseDescription('Seen twice.', { origin, indicators: notes })).toBe(appendMarker('Seen twice.', { kind: 'case', data: asObject }));
    expect(writeCaseDescription('', { origin, indicators: new Map() })).toBe(appendMarker('', { kind: 'case', data: { origin } }));
  });

  it('reads back what it wrote (import refuses a __proto__ key in any file, so that id is left out here)', () => {
    const readable = new Map([...notes].filter(([id]) => id !== '__proto__'));
    const read = readCaseDescription(writeCaseDescription('Seen twice.', { origin, indicators: readable }));
    expect(read.description).toBe('Seen twice.');
    expect(read.data).toEqual({ origin, indicators: Object.fromEntries(readable) });
  });
});
