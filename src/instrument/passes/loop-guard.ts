/*
 * Loop guards: `__rt.step()` at the top of every loop body, in every
 * variant. It counts toward the running server's step budget, so an endless
 * loop (a stuck-at-loop fault) is detected as a hang — the simulator's
 * analog of the clock interrupt that lets RS's heartbeat notice a spinning
 * server. It changes nothing else.
 */
import ts from 'typescript';
import { isLoop } from '../ast-util';

export function loopGuardPass(rtName: string): ts.TransformerFactory<ts.SourceFile> {
  return (ctx) => {
    const f = ctx.factory;
    const guard = () => f.createExpressionStatement(f.createCallExpression(f.createPropertyAccessExpression(f.createIdentifier(rtName), 'step'), undefined, []));
    const withGuard = (s: ts.Statement): ts.Statement => f.createBlock([guard(), ...(ts.isBlock(s) ? s.statements : [s])], true);
    const visit = (n: ts.Node): ts.Node => {
      const v = ts.visitEachChild(n, visit, ctx);
      if (!isLoop(v)) return v;
      if (ts.isWhileStatement(v)) return f.updateWhileStatement(v, v.expression, withGuard(v.statement));
      if (ts.isDoStatement(v)) return f.updateDoStatement(v, withGuard(v.statement), v.expression);
      if (ts.isForStatement(v)) return f.updateForStatement(v, v.initializer, v.condition, v.incrementor, withGuard(v.statement));
      if (ts.isForOfStatement(v)) return f.updateForOfStatement(v, v.awaitModifier, v.initializer, v.expression, withGuard(v.statement));
      if (ts.isForInStatement(v)) return f.updateForInStatement(v, v.initializer, v.expression, withGuard(v.statement));
      return v;
    };
    return (sf) => ts.visitEachChild(sf, visit, ctx);
  };
}
