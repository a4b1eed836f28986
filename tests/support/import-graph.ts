/**
 * The import graph of a source tree as TypeScript resolves it (every `import`, `import type`, `export … from`
 * and `require` of a file inside the tree), and the two things a layered design forbids in it: import cycles
 * and arrows pointing the wrong way. Used by tests/unit/layering.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** Each file (relative to the root, with `/`) and the files inside the root it imports. */
export type ImportGraph = Map<string, string[]>;

function sourceFiles(directory: string): string[] {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

export function importGraph(root: string): ImportGraph {
  const options: ts.CompilerOptions = { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, resolveJsonModule: true };
  const relative = (file: string) => path.relative(root, file).split(path.sep).join('/');
  const graph: ImportGraph = new Map();
  for (const file of sourceFiles(root)) {
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles
      .map((imported) => ts.resolveModuleName(imported.fileName, file, options, ts.sys).resolvedModule?.resolvedFileName)
      .filter((target): target is string => target !== undefined && !path.relative(root, target).startsWith('..') && !target.includes('node_modules'))
      .map(relative);
    graph.set(relative(file), [...new Set(targets)].sort());
  }
  return graph;
}

/** Every import cycle, as the files of one strongly connected component (Tarjan's algorithm), sorted. */
export function importCycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    lowLink.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        lowLink.set(file, Math.min(lowLink.get(file)!, lowLink.get(target)!));
      } else if (onStack.has(target)) {
        lowLink.set(file, Math.min(lowLink.get(file)!, index.get(target)!));
      }
    }
    if (lowLink.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || graph.get(file)?.includes(file)) cycles.push(component.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return cycles;
}

/**
 * Which layer a file is in: the longest prefix of its path that `layers` names (a folder like `storage/sqlite/`
 * or a file like `runtime.ts`); undefined for a file no layer claims.
 */
function layerOf(file: string, layers: string[]): string | undefined {
  return layers.filter((layer) => file === layer || file.startsWith(layer)).sort((a, b) => b.length - a.length)[0];
}

/**
 * Every import that crosses from one layer to another the rules do not let it import, as `from → to`.
 * `mayImport` names, for each layer, the layers below it; a file in no layer is reported too, so a new folder
 * must be placed before it is used.
 */
export function forbiddenImports(graph: ImportGraph, mayImport: Record<string, string[]>): string[] {
  const layers = Object.keys(mayImport);
  const found: string[] = [];
  for (const [file, targets] of graph) {
    const from = layerOf(file, layers);
    if (from === undefined) {
      found.push(`${file} is in no layer`);
      continue;
    }
    for (const target of targets) {
      const to = layerOf(target, layers);
      if (to !== from && (to === undefined || !mayImport[from]!.includes(to))) found.push(`${file} → ${target} (${from} may not import ${to ?? 'a file in no layer'})`);
    }
  }
  return found;
}
