import { Writable } from 'node:stream';
import { KibanaPeople } from '../../src/kibana-sync/kibana-people';
import { createLogger } from '../../src/log';

/** Slack's directory as users.lookupByEmail answers it, counting the questions. */
function directory(members: Record<string, string>) {
  const asked: string[] = [];
  const lookup = async (email: string) => {
    asked.push(email);
    if (email === 'broken@example.com') throw new Error('ratelimited');
    return members[email.toLowerCase()];
  };
  return { asked, lookup };
}

const silent = createLogger('silent', new Writable({ write: (_chunk, _encoding, done) => done() }));
const user = (email: string, uid: string) => ({ username: uid.slice(2), full_name: null, email, profile_uid: uid });

describe('KibanaPeople', () => {
  test("the operator's mapping comes first, then the email; a profile met by email is learned, unless the operator mapped that Slack user", async () => {
    const { lookup } = directory({ 'bea@example.com': 'U0BEA', 'ana@example.com': 'U0ANA' });
    const people = new KibanaPeople(new Map([['U0ANA', 'u_ana']]), lookup, silent);
    expect(await people.resolve(user('someone-else@example.com', 'u_ana'), {})).toEqual({ slackId: 'U0ANA' });
    expect(await people.resolve(user('bea@example.com', 'u_bea'), {})).toEqual({ slackId: 'U0BEA', learned: { U0BEA: 'u_bea' } });
    expect(await people.resolve(user('bea@example.com', 'u_bea'), { U0BEA: 'u_bea' })).toEqual({ slackId: 'U0BEA' });
    // Ana's second Kibana account: still Ana, but her mapped profile stays the one pushes assign.
    expect(await people.resolve(user('ana@example.com', 'u_ana_2'), {})).toEqual({ slackId: 'U0ANA' });
    expect(await people.resolve(user('dan@example.com', 'u_dan'), {})).toEqual({});
  });

  test('assignees and the profiles of a push: learned on the case, the mapping over them', () => {
    const people = new KibanaPeople(new Map([['U0ANA', 'u_ana']]), undefined, silent);
    expect(people.assignee('u_bea', { U0BEA: 'u_bea' })).toBe('U0BEA');
    expect(people.assignee('u_bea', {})).toBe('kibana:u_bea');
    expect(people.assignee('u_ana', { U0ANA: 'u_other' })).toBe('U0ANA');
    const theCase = { kibanaMirror: { profiles: { U0BEA: 'u_bea', U0ANA: 'u_other' } } } as never;
    expect([...people.profilesOf(theCase)].sort()).toEqual([['U0ANA', 'u_ana'], ['U0BEA', 'u_bea']]);
  });

  test('Slack is asked once per address for an hour (ten minutes when nobody has it); a failed lookup is asked again later, and the change still applies', async () => {
    const { asked, lookup } = directory({ 'bea@example.com': 'U0BEA' });
    let now = 0;
    const people = new KibanaPeople(new Map(), lookup, silent, () => now);
    for (let round = 0; round < 3; round += 1) {
      await people.resolve(user('Bea@example.com', 'u_bea'), {});
      await people.resolve(user('dan@example.com', 'u_dan'), {});
    }
    expect(await people.resolve(user('broken@example.com', 'u_x'), {})).toEqual({});
    expect(asked).toEqual(['Bea@example.com', 'dan@example.com', 'broken@example.com']);
    now = 11 * 60_000;
    await people.resolve(user('bea@example.com', 'u_bea'), {});
    await people.resolve(user('dan@example.com', 'u_dan'), {});
    await people.resolve(user('broken@example.com', 'u_x'), {});
    expect(asked.slice(3)).toEqual(['dan@example.com', 'broken@example.com']);
    now = 61 * 60_000;
    await people.resolve(user('bea@example.com', 'u_bea'), {});
    expect(asked.slice(5)).toEqual(['bea@example.com']);
  });
});
