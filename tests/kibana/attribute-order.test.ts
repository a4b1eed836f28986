import { mergeInKeyOrder, withKeptAttributes } from '../../src/kibana/export/attribute-order';
import { KeyOrder } from '../../src/kibana/export/key-order';

describe('attributes built in sorted key order', () => {
  it('merges two records with the values of a spread, in sorted order when both are', () => {
    const merged = mergeInKeyOrder({ a: 1, c: 3, e: 5 }, { b: 2, c: 'second', f: 6 });
    expect(merged).toEqual({ a: 1, b: 2, c: 'second', e: 5, f: 6 });
    expect(Object.keys(merged)).toEqual(['a', 'b', 'c', 'e', 'f']);
  });

  it('gives the second record the last word even when the records are out of order', () => {
    const first = { z: 1, a: 'first', m: undefined };
    const second = { m: 'second', a: 'second' };
    expect(mergeInKeyOrder(first, second)).toStrictEqual({ ...first, ...second });
  });

  it('keeps an own __proto__ member as a member, as a spread does', () => {
    const merged = mergeInKeyOrder(JSON.parse('{"__proto__":{"polluted":true},"a":1}') as Record<string, unknown>, { b: 2 });
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.keys(merged)).toEqual(['__proto__', 'a', 'b']);
  });

  it('lays kept attributes over built ones: defaults replaced, unknown ones added, built ones kept', () => {
    const built = { connector: 'none', owner: 'securitySolution', title: 'built' };
    const kept = { category: 'phishing', connector: 'jira', title: 'kept' };
    const laid = withKeptAttributes({ ...built }, kept, new KeyOrder(), ['connector']);
    expect(laid).toEqual({ ...{ connector: 'none' }, ...kept, ...{ owner: 'securitySolution', title: 'built' } });
    expect(Object.keys(laid)).toEqual(['category', 'connector', 'owner', 'title']);
    expect(withKeptAttributes(built, undefined, new KeyOrder())).toBe(built);
  });
});
