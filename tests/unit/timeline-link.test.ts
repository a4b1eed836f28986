import { parseTimelineTarget, timelineUrl } from '../../src/cases/timeline-link';

describe('Kibana Timeline links', () => {
  const kibana = { url: 'https://kibana.example.com/', space: 'soc' };

  test.each([
    ["https://kibana.example.com/app/security/timelines?timeline=(id:'7e2a-91',isOpen:!t)", '7e2a-91'],
    ['https://kibana.example.com/s/soc/app/security/timelines?timeline=(id:%27abc123%27,graphEventId:%27x%27,isOpen:!t)', 'abc123'],
  ])('reads the id from %s', (url, id) => {
    expect(parseTimelineTarget(url, kibana)).toEqual({ ok: true, timelineId: id, url });
  });

  test('turns a bare id into a URL in the configured space', () => {
    expect(parseTimelineTarget('7e2a91f0', kibana)).toEqual({
      ok: true,
      timelineId: '7e2a91f0',
      url: "https://kibana.example.com/s/soc/app/security/timelines?timeline=(id:'7e2a91f0',isOpen:!t)",
    });
    expect(timelineUrl('https://k.example', 'abc', 'default')).toBe("https://k.example/app/security/timelines?timeline=(id:'abc',isOpen:!t)");
  });

  test.each([
    ['https://example.com/not-a-timeline', /not a Kibana Timeline link/],
    ['a b', /Timeline URL or a Timeline id/],
  ])('refuses %s', (target, error) => {
    const result = parseTimelineTarget(target, kibana);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(error);
  });

  test('a bare id without KIBANA_URL says what to do', () => {
    const result = parseTimelineTarget('7e2a91f0', {});
    expect(!result.ok && result.error).toMatch(/needs KIBANA_URL/);
  });
});
