/*
 * Store hooks: every assignment to a property or element, compound
 * assignment, ++/-- and delete becomes a call that records (object, key,
 * old value) in the undo log and then stores. Each operand is evaluated
 * exactly once, in the original order (object, key, value).
 *
 *   a.b = v      ->  __rt.set(a, "b", v)
 *   a[k] += v    ->  __rt.cset(a, k, "+", v)
 *   a.b++ / ++a.b ->  __rt.inc(a, "b", 1, false|true)
 *   delete a[k]  ->  __rt.del(a, k)
 *
 * `logStores` visits one function body (the window-clone pass decides
 * which); `storeHookPass` instruments a whole file (the ckpt variant).
 */
import ts from 'typescript';
import { isAssignmentOperator, isFunctionWithBody, isPropertyTarget } from '../ast-util';

const K = ts.SyntaxKind;

const COMPOUND: Partial<Record<ts.SyntaxKind, string>> = {
  [K.PlusEqualsToken]: '+', [K.MinusEqualsToken]: '-', [K.AsteriskEqualsToken]: '*', [K.SlashEqualsToken]: '/',
  [K.PercentEqualsToken]: '%', [K.AsteriskAsteriskEqualsToken]: '**', [K.LessThanLessThanEqualsToken]: '<<',
  [K.GreaterThanGreaterThanEqualsToken]: '>>', [K.GreaterThanGreaterThanGreaterThanEqualsToken]: '>>>',
  [K.AmpersandEqualsToken]: '&', [K.BarEqualsToken]: '|', [K.CaretEqualsToken]: '^',
  [K.AmpersandAmpersandEqualsToken]: '&&', [K.BarBarEqualsToken]: '||', [K.QuestionQuestionEqualsToken]: '??',
};

/** Object and key expressions of a property/element target. */
function targetParts(f: ts.NodeFactory, t: ts.PropertyAccessExpression | ts.ElementAccessExpression): [ts.Expression, ts.Expression] {
  if (ts.isPropertyAccessExpression(t)) return [t.expression, f.createStringLiteral(t.name.text)];
  return [t.expression, t.argumentExpression];
}

/**
 * Returns a visitor that hooks stores; `onFunction` decides what happens to
 * nested functions (the clone pass gives them their own dispatch).
 */
export function storeVisitor(ctx: ts.TransformationContext, rtName: string, onFunction: (fn: ts.Node) => ts.Node): (n: ts.Node) => ts.Node {
  const f = ctx.factory;
  const call = (fn: string, args: ts.Expression[]) => f.createCallExpression(f.createPropertyAccessExpression(f.createIdentifier(rtName), fn), undefined, args);
  const visit = (n: ts.Node): ts.Node => {
    if (isFunctionWithBody(n)) return onFunction(n);
    if (ts.isBinaryExpression(n) && isAssignmentOperator(n.operatorToken.kind) && isPropertyTarget(n.left)) {
      const [o, k] = targetParts(f, n.left);
      const vo = ts.visitNode(o, visit) as ts.Expression;
      const vk = ts.visitNode(k, visit) as ts.Expression;
      const vv = ts.visitNode(n.right, visit) as ts.Expression;
      if (n.operatorToken.kind === K.EqualsToken) return call('set', [vo, vk, vv]);
      const op = COMPOUND[n.operatorToken.kind];
      if (op === '&&' || op === '||' || op === '??') {
        // Short-circuit: the value is evaluated only when the store happens.
        return call('lset', [vo, vk, f.createStringLiteral(op), f.createArrowFunction(undefined, undefined, [], undefined, undefined, vv)]);
      }
      return call('cset', [vo, vk, f.createStringLiteral(op!), vv]);
    }
    if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) &&
      (n.operator === K.PlusPlusToken || n.operator === K.MinusMinusToken) && isPropertyTarget(n.operand)) {
      const [o, k] = targetParts(f, n.operand);
      return call('inc', [ts.visitNode(o, visit) as ts.Expression, ts.visitNode(k, visit) as ts.Expression,
        n.operator === K.PlusPlusToken ? f.createNumericLiteral(1) : f.createPrefixUnaryExpression(K.MinusToken, f.createNumericLiteral(1)), ts.isPrefixUnaryExpression(n) ? f.createTrue() : f.createFalse()]);
    }
    if (ts.isDeleteExpression(n) && isPropertyTarget(n.expression)) {
      const [o, k] = targetParts(f, n.expression);
      return call('del', [ts.visitNode(o, visit) as ts.Expression, ts.visitNode(k, visit) as ts.Expression]);
    }
    return ts.visitEachChild(n, visit, ctx);
  };
  return visit;
}

/** ckpt: every store in the file is hooked, in every function. */
export function storeHookPass(rtName: string): ts.TransformerFactory<ts.SourceFile> {
  return (ctx) => {
    let visit: (n: ts.Node) => ts.Node;
    const onFunction = (fn: ts.Node): ts.Node => ts.visitEachChild(fn, visit, ctx);
    visit = storeVisitor(ctx, rtName, onFunction);
    return (sf) => ts.visitEachChild(sf, visit, ctx);
  };
}
