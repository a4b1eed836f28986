/** Kibana's migration versions: `x.y.z`, compared numerically (model versions are written `10.<n>.0`). */
const VERSION = /^(\d+)\.(\d+)\.(\d+)$/;

export function isVersion(text: string): boolean {
  return VERSION.test(text);
}

/** Negative, zero or positive like a sort comparator. Both must satisfy isVersion. */
export function compareVersions(a: string, b: string): number {
  const left = parts(a);
  const right = parts(b);
  for (let index = 0; index < 3; index += 1) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

export function maxVersion(a: string, b: string): string {
  return compareVersions(a, b) >= 0 ? a : b;
}

function parts(version: string): number[] {
  return version.split('.').map(Number);
}
