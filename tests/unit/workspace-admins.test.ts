import { VisibilityPolicy } from '../../src/cases/policy';

/** Who is an admin, per workspace: a configured user id, a configured workspace's user, or that workspace's installer. */
const nobodyIsAMember = { isMember: async () => false };
const installers: Record<string, string> = { T0003: 'U3INSTALLER' };
const policy = new VisibilityPolicy(nobodyIsAMember, ['U0ANYWHERE', 'T0002:U2ERIN'], (teamId) => installers[teamId]);

test.each([
  ['a configured user id, in any workspace it acts in', { userId: 'U0ANYWHERE', teamId: 'T0009' }, true],
  ['a workspace\'s configured user, in that workspace', { userId: 'U2ERIN', teamId: 'T0002' }, true],
  ['a workspace\'s configured user, in another workspace of the org', { userId: 'U2ERIN', teamId: 'T0003' }, false],
  ['the installer, in the workspace they installed caseops in', { userId: 'U3INSTALLER', teamId: 'T0003' }, true],
  ['the installer, elsewhere', { userId: 'U3INSTALLER', teamId: 'T0002' }, false],
  ['anyone else', { userId: 'U0OTHER', teamId: 'T0002' }, false],
])('%s: admin is %s', (_, actor, admin) => {
  expect(policy.isAdmin(actor)).toBe(admin);
});

test('a private case is shown to an admin of its workspace only', async () => {
  const privateCase = { teamId: 'T0002', origin: { isPrivate: true, channelId: 'G0SECRET' } } as Parameters<VisibilityPolicy['canSee']>[1];
  expect(await policy.canSee({ userId: 'U2ERIN', teamId: 'T0002' }, privateCase)).toBe(true);
  expect(await policy.canSee({ userId: 'U3INSTALLER', teamId: 'T0002' }, privateCase)).toBe(false);
});
