/*
 * Erases non-null assertions (`x!`) from a server's source before the build
 * analyses it. They are type-only (the compiler drops them), but they sit in
 * the syntax tree between an element access and what uses it: left there,
 * `tab[i]!.f` would count as a different fault site from `tab[i].f`, and
 * `tab[i]!++` would escape the store hooks. Erased, the fault universe and
 * the emitted variants do not depend on how the source satisfies the type
 * checker.
 *
 * The entry point into this file is:
 *   eraseNonNullAssertions(text, fileName)  the text without its `!` assertions (same lines)
 */
import ts from 'typescript';

export function eraseNonNullAssertions(text: string, fileName: string): string {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const bangs: number[] = [];
  const walk = (n: ts.Node): void => {
    // The `!` is the node's last character: `expr!`.
    if (ts.isNonNullExpression(n)) bangs.push(n.end - 1);
    ts.forEachChild(n, walk);
  };
  walk(sf);
  if (bangs.length === 0) return text;
  bangs.sort((a, b) => a - b);
  let out = '';
  let from = 0;
  for (const at of bangs) {
    if (text[at] !== '!') throw new Error(`${fileName}: expected a non-null assertion at offset ${at}`);
    out += text.slice(from, at);
    from = at + 1;
  }
  return out + text.slice(from);
}
