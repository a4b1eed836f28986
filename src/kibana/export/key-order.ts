import type { SavedObject } from '../saved-objects';
import { inWritingOrder, stableStringify } from '../stable-json';

/**
 * How one case's export lines get their sorted keys (stable-json.ts) without the serializer checking every
 * object of every line, which was about a quarter of the serialization's time. The conversion builds each
 * object with its members in sorted order (attribute-order.ts), and passes every value it takes from
 * elsewhere — kept Kibana attributes and references, user-action payloads, attachment data, users decoded
 * from an actor id — through `ordered`, which copies what is out of order. The case's objects are then
 * written by the native JSON.stringify as they are. A value that cannot be put in an order JSON.stringify
 * keeps (a key made of digits only, or `__proto__`) is used as it is, and the case's lines are written by
 * stableStringify instead, which sorts whatever it is given.
 */
export class KeyOrder {
  private orderable = true;

  /** `value` with its keys, at every level, in the order its line writes them. */
  ordered<T>(value: T): T {
    const ordered = inWritingOrder(value);
    if (ordered === undefined) {
      this.orderable = false;
      return value;
    }
    return ordered.value as T;
  }

  /** The line of one of the case's objects. */
  line(object: SavedObject): string {
    return this.orderable ? JSON.stringify(object) : stableStringify(object);
  }
}
