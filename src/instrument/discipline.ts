/*
 * The state-discipline check (DESIGN §3.3): server state changes only by
 * assignment, so the store hooks see every change. The build fails, naming
 * file and line, on
 *   - a module-level `let` or `var` (state outside the data section),
 *   - Map/Set/WeakMap (state that assignment cannot express),
 *   - a mutating method (push, splice, sort, fill, set, ...) or Object.assign
 *     on anything but a local temporary array or buffer of the same function,
 *   - a destructuring assignment or for-in/for-of loop that stores into a
 *     property (the store hooks only see plain assignments).
 */
import ts from 'typescript';
import { isFunctionWithBody } from './ast-util';

const MUTATORS = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin', 'set', 'add', 'delete', 'clear']);
const LOCAL_MAKERS = new Set(['slice', 'map', 'filter', 'concat', 'from', 'split', 'of', 'flat', 'flatMap', 'keys', 'values', 'entries']);

export interface Violation { file: string; line: number; message: string }

function enclosingFunction(n: ts.Node): ts.Node | null {
  for (let p = n.parent; p; p = p.parent) if (isFunctionWithBody(p)) return p;
  return null;
}

/** Does `e` make a fresh array or buffer (a temporary)? */
function isFresh(e: ts.Expression): boolean {
  if (ts.isParenthesizedExpression(e)) return isFresh(e.expression);
  if (ts.isArrayLiteralExpression(e) || ts.isNewExpression(e)) return true;
  if (ts.isConditionalExpression(e)) return isFresh(e.whenTrue) && isFresh(e.whenFalse);
  return ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && LOCAL_MAKERS.has(e.expression.name.text);
}

/** Is `name` a local of `fn` initialised to a fresh array or buffer (a temporary, not state)? */
function isLocalTemporary(name: string, fn: ts.Node): boolean {
  let found = false;
  const walk = (n: ts.Node): void => {
    if (found) return;
    if (n !== fn && isFunctionWithBody(n)) return;
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name && n.initializer) {
      if (isFresh(n.initializer)) found = true;
    }
    ts.forEachChild(n, walk);
  };
  walk(fn);
  return found;
}

/** Does an assignment pattern store into a property or element? */
function patternStoresProperty(e: ts.Expression): boolean {
  if (ts.isParenthesizedExpression(e)) return patternStoresProperty(e.expression);
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) return true;
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken) return patternStoresProperty(e.left);
  if (ts.isSpreadElement(e)) return patternStoresProperty(e.expression);
  if (ts.isArrayLiteralExpression(e)) return e.elements.some(patternStoresProperty);
  if (ts.isObjectLiteralExpression(e)) {
    return e.properties.some((p) => ts.isPropertyAssignment(p) ? patternStoresProperty(p.initializer)
      : ts.isSpreadAssignment(p) ? patternStoresProperty(p.expression) : false);
  }
  return false;
}

export function checkDiscipline(sf: ts.SourceFile, file: string): Violation[] {
  const out: Violation[] = [];
  const at = (n: ts.Node, message: string) =>
    out.push({ file, line: sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1, message });

  for (const s of sf.statements) {
    if (ts.isVariableStatement(s) && !(s.declarationList.flags & ts.NodeFlags.Const)) {
      at(s, 'module-level mutable binding (let/var): server state belongs in the data section');
    }
  }
  const walk = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      (ts.isArrayLiteralExpression(n.left) || ts.isObjectLiteralExpression(n.left)) && patternStoresProperty(n.left)) {
      at(n, 'destructuring assignment into a property: the store hooks miss it; assign each property');
    }
    if ((ts.isForOfStatement(n) || ts.isForInStatement(n)) && !ts.isVariableDeclarationList(n.initializer) && patternStoresProperty(n.initializer)) {
      at(n, 'for-in/for-of loop storing into a property: the store hooks miss it; assign in the body');
    }
    if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && ['Map', 'Set', 'WeakMap', 'WeakSet'].includes(n.expression.text)) {
      at(n, `${n.expression.text} in server code: use fixed tables changed by assignment`);
    }
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
      const method = n.expression.name.text;
      const recv = n.expression.expression;
      if (ts.isIdentifier(recv) && recv.text === 'Object' && (method === 'assign' || method === 'defineProperty')) {
        at(n, `Object.${method} changes state without assignment`);
      } else if (MUTATORS.has(method) && !(ts.isIdentifier(recv) && recv.text === 'Object')) {
        const fn = enclosingFunction(n);
        const local = isFresh(recv) || (ts.isIdentifier(recv) && fn !== null && isLocalTemporary(recv.text, fn));
        if (!local) at(n, `mutating call .${method}() on state: change state by assignment`);
      }
    }
    ts.forEachChild(n, walk);
  };
  walk(sf);
  return out;
}
