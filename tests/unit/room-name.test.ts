import { CHANNEL_NAME_MAX, roomName } from '../../src/slack/effects/room-name';

describe('roomName', () => {
  test('case-<number>-<title as Slack allows a channel name>: lowercase, accents dropped, every other run of characters one hyphen', () => {
    expect(roomName(12, 'Ransomware note on the Überwachung share!')).toBe('case-12-ransomware-note-on-the-uberwachung-share');
    expect(roomName(7, '  C2 beacon -> 203.0.113.7 (port 443)  ')).toBe('case-7-c2-beacon-203-0-113-7-port-443');
    expect(roomName(3, 'snake_case stays')).toBe('case-3-snake_case-stays');
  });

  test('a title with nothing Slack allows gives the number alone; alternatives end in -2, -3 …', () => {
    expect(roomName(5, '🔥🔥 !!!')).toBe('case-5');
    expect(roomName(5, '🔥🔥 !!!', 2)).toBe('case-5-2');
    expect(roomName(9, 'Phishing', 3)).toBe('case-9-phishing-3');
  });

  test('never longer than Slack allows, suffix included, and never ending in a hyphen', () => {
    const title = 'Lateral movement from the jump host to every domain controller in the EMEA forest and beyond';
    for (const attempt of [1, 2, 9]) {
      const name = roomName(123456, title, attempt);
      expect(name.length).toBeLessThanOrEqual(CHANNEL_NAME_MAX);
      expect(name).toMatch(/^case-123456-lateral-movement-[a-z0-9_-]*[a-z0-9_]$/);
      if (attempt > 1) expect(name.endsWith(`-${attempt}`)).toBe(true);
    }
  });
});
