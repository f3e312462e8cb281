/* Small, named questions about TypeScript syntax nodes, shared by the passes. */
import ts from 'typescript';

export type FunctionWithBody = ts.FunctionLikeDeclaration & { body: ts.ConciseBody };

export function isFunctionWithBody(n: ts.Node): n is FunctionWithBody {
  return (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n) ||
    ts.isGetAccessorDeclaration(n) || ts.isSetAccessorDeclaration(n) || ts.isConstructorDeclaration(n)) && n.body !== undefined;
}

export function isLoop(n: ts.Node): n is ts.IterationStatement {
  return ts.isWhileStatement(n) || ts.isDoStatement(n) || ts.isForStatement(n) || ts.isForOfStatement(n) || ts.isForInStatement(n);
}

/** Statements that do not change control flow (they may contain calls and yields). */
export function isStraightLine(s: ts.Statement): boolean {
  return ts.isExpressionStatement(s) || ts.isVariableStatement(s) || ts.isEmptyStatement(s);
}

/** Statements that end a block by leaving it. */
export function isJump(s: ts.Statement): boolean {
  return ts.isReturnStatement(s) || ts.isThrowStatement(s) || ts.isBreakStatement(s) || ts.isContinueStatement(s);
}

export function isAssignmentOperator(k: ts.SyntaxKind): boolean {
  return k >= ts.SyntaxKind.FirstAssignment && k <= ts.SyntaxKind.LastAssignment;
}

export function isPropertyTarget(e: ts.Expression): e is ts.PropertyAccessExpression | ts.ElementAccessExpression {
  return ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e);
}

/** A readable name for a function, for block ids: `do_fork`, `Cls.method`, `<arrow@12>`. */
export function functionName(fn: ts.Node, sf: ts.SourceFile): string {
  const line = sf.getLineAndCharacterOfPosition(fn.getStart(sf)).line + 1;
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name) return fn.name.text;
  if (ts.isMethodDeclaration(fn) || ts.isGetAccessorDeclaration(fn) || ts.isSetAccessorDeclaration(fn)) {
    const cls = fn.parent && ts.isClassLike(fn.parent) && fn.parent.name ? fn.parent.name.text + '.' : '';
    return cls + (ts.isIdentifier(fn.name) ? fn.name.text : `<member@${line}>`);
  }
  if (ts.isConstructorDeclaration(fn)) return 'constructor';
  const p = fn.parent;
  if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return p.name.text;
  if (p && ts.isPropertyAssignment(p) && ts.isIdentifier(p.name)) return p.name.text;
  return `<anon@${line}>`;
}

/** Key of an original node by its source position: stable across parses of the same text. */
export function posKey(n: ts.Node): string {
  return `${n.kind}:${n.pos}:${n.end}`;
}

/** Name of the function a call invokes: `f(...)` or `x.f(...)`. */
export function calleeName(c: ts.CallExpression): string | null {
  const e = c.expression;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return null;
}

/** FNV-1a 32-bit hash of a string: numeric, stable block ids. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
