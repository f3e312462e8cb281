/*
 * Non-null assertions do not change the fault universe or the emitted
 * variants: the build erases them before it analyses a server's source.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ts from 'typescript';
import { analyzeFile } from '../src/instrument/blocks';
import { instrumentText } from '../src/instrument/build';
import { eraseNonNullAssertions } from '../src/instrument/erase-assertions';
import { VARIANTS } from '../src/osiris/build-variants';

const PLAIN = `
export function f(st: { tab: { n: number }[]; c: number[] }, i: number): number {
  const r = st.tab[i];
  st.c[i]++;
  st.tab[i].n += st.c[i];
  return r.n + st.tab[i].n;
}
`;
const ASSERTED = `
export function f(st: { tab: { n: number }[]; c: number[] }, i: number): number {
  const r = st.tab[i]!;
  st.c[i]!++;
  st.tab[i]!.n += st.c[i]!;
  return r.n + st.tab[i]!.n;
}
`;

const analyse = (text: string) => {
  const sf = ts.createSourceFile('fx.ts', text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const blocks = analyzeFile(sf, { server: 'fx', file: 'fx.ts', excludeFaults: null });
  blocks.forEach((b, i) => { b.index = i; });
  return blocks;
};

test('erasing keeps lines and removes only the assertions', () => {
  const erased = eraseNonNullAssertions(ASSERTED, 'fx.ts');
  assert.equal(erased, PLAIN);
  assert.equal(eraseNonNullAssertions(PLAIN, 'fx.ts'), PLAIN);
  // `!==`, `!x` and definite assignment are not assertions.
  const other = 'let a!: number; if (!a && a !== 1) a = 2;\n';
  assert.equal(eraseNonNullAssertions(other, 'o.ts'), other);
});

test('the asserted source, erased, has the same fault sites and emits the same variants as the plain one', () => {
  const plain = analyse(PLAIN);
  const raw = analyse(ASSERTED);
  // Left in, the assertions move fault sites (what the erasure is for).
  assert.notDeepEqual(raw.map((b) => b.candidates), plain.map((b) => b.candidates));
  const erased = analyse(eraseNonNullAssertions(ASSERTED, 'fx.ts'));
  assert.deepEqual(erased.map((b) => [b.id, b.candidates, b.fault]), plain.map((b) => [b.id, b.candidates, b.fault]));
  for (const v of VARIANTS) {
    assert.equal(instrumentText(eraseNonNullAssertions(ASSERTED, 'fx.ts'), 'fx.ts', v, erased), instrumentText(PLAIN, 'fx.ts', v, plain), v);
  }
});
