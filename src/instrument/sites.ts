/*
 * Fault sites: for each fault type, the syntax nodes in a block where the
 * fault can be placed, and the mutation that places it. Enumeration
 * (forEachChild) and mutation (visitEachChild) walk the same nodes in the
 * same order and never enter nested functions, so "site n" means the same
 * node in both.
 *
 * The entry points into this file are:
 *   countSites   how many sites of a type the given nodes hold
 *   mutateSite   a copy of a node with site n of a type mutated
 */
import ts from 'typescript';
import { FaultType } from '../edfi/fault-types';
import { calleeName, isAssignmentOperator, isFunctionWithBody, isPropertyTarget } from './ast-util';
import { HELPER_ROLES } from './helper-roles';

const K = ts.SyntaxKind;

const NON_COMMUTATIVE = new Set([K.MinusToken, K.SlashToken, K.PercentToken, K.LessThanToken, K.GreaterThanToken,
  K.LessThanEqualsToken, K.GreaterThanEqualsToken, K.LessThanLessThanToken, K.GreaterThanGreaterThanToken,
  K.GreaterThanGreaterThanGreaterThanToken, K.AsteriskAsteriskToken]);

/** corrupt-operator: each operator and the one of its family it becomes. */
const OPERATOR_SWAP = new Map<ts.SyntaxKind, ts.BinaryOperator>([
  [K.PlusToken, K.MinusToken], [K.MinusToken, K.PlusToken], [K.AsteriskToken, K.SlashToken], [K.SlashToken, K.AsteriskToken],
  [K.LessThanToken, K.LessThanEqualsToken], [K.LessThanEqualsToken, K.LessThanToken],
  [K.GreaterThanToken, K.GreaterThanEqualsToken], [K.GreaterThanEqualsToken, K.GreaterThanToken],
  [K.EqualsEqualsEqualsToken, K.ExclamationEqualsEqualsToken], [K.ExclamationEqualsEqualsToken, K.EqualsEqualsEqualsToken],
  [K.AmpersandAmpersandToken, K.BarBarToken], [K.BarBarToken, K.AmpersandAmpersandToken],
  [K.AmpersandToken, K.BarToken], [K.BarToken, K.AmpersandToken],
  [K.LessThanLessThanToken, K.GreaterThanGreaterThanToken], [K.GreaterThanGreaterThanToken, K.LessThanLessThanToken],
]);

const COMPARISON = new Set([K.EqualsEqualsEqualsToken, K.ExclamationEqualsEqualsToken, K.EqualsEqualsToken, K.ExclamationEqualsToken,
  K.LessThanToken, K.GreaterThanToken, K.LessThanEqualsToken, K.GreaterThanEqualsToken]);

/** Context a node is in, as the walks need it. */
interface Pos { parent: ts.Node | undefined }

function isWriteTarget(n: ts.Node): boolean {
  const p = n.parent;
  if (!p) return false;
  if (ts.isBinaryExpression(p) && p.left === n && isAssignmentOperator(p.operatorToken.kind)) return true;
  if ((ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p)) &&
    (p.operator === K.PlusPlusToken || p.operator === K.MinusMinusToken)) return true;
  if (ts.isDeleteExpression(p)) return true;
  return false;
}

/** A literal naming a property (`{ 1: x }`): not a value, and no expression may replace it. */
function isPropertyName(n: ts.Node): boolean {
  const p = n.parent;
  return !!p && (ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) ||
    ts.isGetAccessorDeclaration(p) || ts.isSetAccessorDeclaration(p)) && p.name === n || (!!p && ts.isBindingElement(p) && p.propertyName === n);
}

function isCallee(n: ts.Node): boolean {
  const p = n.parent;
  return !!p && ts.isCallExpression(p) && p.expression === n;
}

/** Is `n` a site of fault type `t`? (Its parent pointers are those of the original tree.) */
export function isSite(t: FaultType, n: ts.Node): boolean {
  switch (t) {
    case 'swap':
      return ts.isBinaryExpression(n) && NON_COMMUTATIVE.has(n.operatorToken.kind);
    case 'no-load': case 'rnd-load':
      return isPropertyTarget(n as ts.Expression) && !isWriteTarget(n) && !isCallee(n) && !isPropertyTarget(n.parent as ts.Expression);
    case 'no-store':
      if (ts.isBinaryExpression(n)) return isAssignmentOperator(n.operatorToken.kind) && isPropertyTarget(n.left);
      if (ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) {
        return (n.operator === K.PlusPlusToken || n.operator === K.MinusMinusToken) && isPropertyTarget(n.operand);
      }
      return false;
    case 'flip-branch': case 'stuck-at-branch':
      return false; // conditions are handled by the block's terminator, and conditional expressions below
    case 'flip-bool':
      return n.kind === K.TrueKeyword || n.kind === K.FalseKeyword ||
        (ts.isPrefixUnaryExpression(n) && n.operator === K.ExclamationToken) ||
        (ts.isBinaryExpression(n) && COMPARISON.has(n.operatorToken.kind));
    case 'corrupt-pointer':
      return ts.isElementAccessExpression(n) && !isWriteTarget(n) && !!n.parent &&
        ((ts.isPropertyAccessExpression(n.parent) && n.parent.expression === n) || ts.isVariableDeclaration(n.parent));
    case 'corrupt-index':
      return ts.isElementAccessExpression(n);
    case 'corrupt-integer':
      return (ts.isNumericLiteral(n) && Number.isInteger(Number(n.text)) && !(n.parent && ts.isElementAccessExpression(n.parent)) && !isPropertyName(n)) ||
        (ts.isBinaryExpression(n) && (n.operatorToken.kind === K.PlusToken || n.operatorToken.kind === K.MinusToken));
    case 'corrupt-operator':
      return ts.isBinaryExpression(n) && OPERATOR_SWAP.has(n.operatorToken.kind);
    case 'buffer-overflow': return helperCall(n, 'copy', true);
    case 'mem-leak': return helperCall(n, 'release', false);
    case 'dangling-pointer': return helperCall(n, 'alloc', true);
    default: return false;
  }
}

function helperCall(n: ts.Node, role: 'copy' | 'alloc' | 'release', needsSize: boolean): boolean {
  if (!ts.isCallExpression(n)) return false;
  const name = calleeName(n);
  const h = name ? HELPER_ROLES[name] : undefined;
  if (!h || h.role !== role) return false;
  if (needsSize) return h.sizeArg >= 0 && n.arguments.length > h.sizeArg;
  // A release whose result is used cannot simply vanish.
  return !!n.parent && (ts.isExpressionStatement(n.parent) || (ts.isYieldExpression(n.parent) && !!n.parent.parent && ts.isExpressionStatement(n.parent.parent)));
}

/**
 * Subtrees the walks skip: nested functions and classes (blocks of their
 * own), and type annotations, which compilation erases (a literal type such
 * as `0 | 1` or `true` would be a site whose fault never runs).
 */
function skipped(n: ts.Node): boolean {
  return isFunctionWithBody(n) || ts.isClassLike(n) || (ts.isTypeNode(n) && !ts.isExpressionWithTypeArguments(n));
}

/** Count the sites of `t` in `nodes` (not entering nested functions). */
export function countSites(t: FaultType, nodes: readonly ts.Node[]): number {
  let count = 0;
  const walk = (n: ts.Node): void => {
    if (skipped(n)) return;
    if (isSite(t, n)) count++;
    ts.forEachChild(n, walk);
  };
  for (const n of nodes) walk(n);
  return count;
}

export interface Mutation {
  type: FaultType;
  site: number;
  /** A small parameter chosen at build time: sign (±1), stuck value (0/1), garbage (0/1), extra length. */
  param: number;
}

/** Build the faulty replacement for one site. `rt` names the runtime object in emitted code. */
function mutate(f: ts.NodeFactory, m: Mutation, n: ts.Node, rt: ts.Identifier): ts.Node {
  const E = () => f.createPropertyAccessExpression(rt, 'E');
  switch (m.type) {
    case 'swap': {
      const b = n as ts.BinaryExpression;
      return f.createBinaryExpression(b.right, b.operatorToken, b.left);
    }
    case 'no-load': case 'rnd-load':
      return f.createCallExpression(f.createPropertyAccessExpression(E(), m.type === 'no-load' ? 'noLoad' : 'rndLoad'), undefined, [n as ts.Expression]);
    case 'no-store': {
      if (ts.isBinaryExpression(n)) return f.createParenthesizedExpression(n.right);
      const u = n as ts.PrefixUnaryExpression | ts.PostfixUnaryExpression;
      return f.createParenthesizedExpression(u.operand);
    }
    case 'flip-bool':
      if (n.kind === K.TrueKeyword) return f.createFalse();
      if (n.kind === K.FalseKeyword) return f.createTrue();
      return f.createLogicalNot(f.createParenthesizedExpression(n as ts.Expression));
    case 'corrupt-pointer': {
      const e = n as ts.ElementAccessExpression;
      return f.createCallExpression(f.createPropertyAccessExpression(E(), 'ptr'), undefined,
        [e.expression, e.argumentExpression, m.param ? f.createTrue() : f.createFalse()]);
    }
    case 'corrupt-index': {
      const e = n as ts.ElementAccessExpression;
      const idx = f.createBinaryExpression(f.createParenthesizedExpression(e.argumentExpression), m.param >= 0 ? K.PlusToken : K.MinusToken, f.createNumericLiteral(1));
      return f.createElementAccessExpression(e.expression, idx);
    }
    case 'corrupt-integer':
      return f.createParenthesizedExpression(f.createBinaryExpression(f.createParenthesizedExpression(n as ts.Expression),
        m.param >= 0 ? K.PlusToken : K.MinusToken, f.createNumericLiteral(1)));
    case 'corrupt-operator': {
      const b = n as ts.BinaryExpression;
      return f.createBinaryExpression(b.left, OPERATOR_SWAP.get(b.operatorToken.kind)!, b.right);
    }
    case 'buffer-overflow': case 'dangling-pointer': {
      const c = n as ts.CallExpression;
      const i = HELPER_ROLES[calleeName(c)!]!.sizeArg;
      const args = c.arguments.map((a, j) => j !== i ? a
        : f.createBinaryExpression(f.createParenthesizedExpression(a), m.type === 'buffer-overflow' ? K.PlusToken : K.MinusToken,
          f.createNumericLiteral(m.type === 'buffer-overflow' ? Math.max(1, m.param) : 1)));
      return f.createCallExpression(c.expression, c.typeArguments, args);
    }
    case 'mem-leak':
      return f.createVoidZero();
    default:
      return n;
  }
}

/** A copy of `node` with site `m.site` of `m.type` (counted from `start`) mutated. Returns the new node and the next count. */
export function mutateSite(ctx: ts.TransformationContext, node: ts.Node, m: Mutation, rt: ts.Identifier, start: number): { node: ts.Node; next: number } {
  let count = start;
  const visit = (n: ts.Node): ts.Node => {
    if (skipped(n)) return n;
    if (isSite(m.type, n)) {
      if (count++ === m.site) return mutate(ctx.factory, m, n, rt);
    }
    return ts.visitEachChild(n, visit, ctx);
  };
  const out = visit(node);
  return { node: out, next: count };
}

export type { Pos };
