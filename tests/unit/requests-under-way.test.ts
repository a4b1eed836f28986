import { RequestsUnderWay } from '../../src/slack/requests-under-way';

describe('RequestsUnderWay', () => {
  let now = 0;
  const requests = () => new RequestsUnderWay(3_000, () => now);

  beforeEach(() => {
    now = 1_000_000;
  });

  test('a second request for work under way is a repeat; the same trigger again is a redelivery', () => {
    const underWay = requests();
    expect(underWay.begin('export 1', 'T1').outcome).toBe('started');
    expect(underWay.begin('export 1', 'T2').outcome).toBe('repeat');
    expect(underWay.begin('export 1', 'T1').outcome).toBe('redelivered');
    expect(underWay.begin('export 1', 'T2').outcome).toBe('redelivered');
    expect(underWay.begin('export 2', 'T3').outcome).toBe('started');
  });

  test('work under way stays claimed however long it runs; once finished, it lingers and then may start again', () => {
    const underWay = requests();
    const first = underWay.begin('export 1', 'T1');
    now += 60_000;
    expect(underWay.begin('export 1', 'T2').outcome).toBe('repeat');
    if (first.outcome !== 'started') throw new Error('expected the first request to start');
    first.finish();
    now += 3_000;
    expect(underWay.begin('export 1', 'T3').outcome).toBe('repeat');
    now += 1;
    expect(underWay.begin('export 1', 'T4').outcome).toBe('started');
  });
});
