/*
 * The SANITYCHECKS build switch. A server function whose doc comment
 * carries `@sanitycheck` is a self-check (a scan of the server's own
 * tables, like VM's SANITYCHECK macros in MINIX). MINIX builds its servers
 * with `SANITYCHECKS 0`: the scans compile to nothing, so they are neither
 * run, nor fault locations, nor counted by recovery coverage. With the
 * switch off, the build blanks each marked function and every call to it
 * out of the source text before anything else reads it; blanking keeps
 * every other node's position, so the block analysis and the passes see
 * the same text. The plain tsc build (the servers' own unit tests) keeps
 * the checks.
 *
 * The entry points into this file are:
 *   sanityFunctions     the marked functions of one server's sources
 *   stripSanityChecks   a source text with those functions and their calls removed
 */
import ts from 'typescript';

export const SANITY_TAG = 'sanitycheck';

function isMarked(fn: ts.FunctionDeclaration): boolean {
  return ts.getJSDocTags(fn).some((t) => t.tagName.text === SANITY_TAG);
}

/** Names of the top-level functions marked `@sanitycheck` in these source files. */
export function sanityFunctions(files: readonly ts.SourceFile[]): Set<string> {
  const names = new Set<string>();
  for (const sf of files) {
    for (const s of sf.statements) if (ts.isFunctionDeclaration(s) && s.name && isMarked(s)) names.add(s.name.text);
  }
  return names;
}

/** Replace [start, end) by spaces, keeping line breaks (so lines and positions stay). */
function blank(text: string, start: number, end: number): string {
  return text.slice(0, start) + text.slice(start, end).replace(/[^\n\r]/g, ' ') + text.slice(end);
}

/**
 * The text without the marked functions' declarations and without the
 * statements calling them. A call anywhere but as a statement of its own in
 * a statement list cannot vanish cleanly: the build fails naming it.
 */
export function stripSanityChecks(sf: ts.SourceFile, names: ReadonlySet<string>, where: string): string {
  const ranges: [number, number][] = [];
  const walk = (n: ts.Node): void => {
    if (ts.isFunctionDeclaration(n) && n.name && names.has(n.name.text) && n.parent === sf) {
      ranges.push([n.getStart(sf, true), n.end]);
      return;
    }
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && names.has(n.expression.text)) {
      const st = n.parent;
      const inList = ts.isExpressionStatement(st) && st.expression === n &&
        (ts.isBlock(st.parent) || ts.isSourceFile(st.parent) || ts.isCaseClause(st.parent) || ts.isDefaultClause(st.parent));
      if (!inList) {
        const line = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
        throw new Error(`${where}:${line}: a call to sanity check ${n.expression.text} must be a statement of its own`);
      }
      ranges.push([st.getStart(sf), st.end]);
      return;
    }
    ts.forEachChild(n, walk);
  };
  walk(sf);
  let text = sf.text;
  for (const [a, b] of ranges) text = blank(text, a, b);
  return text;
}
