/*
 * The block pass: EDFI fault-injection blocks (osiris+edfi) or execution
 * counters (osiris+prof). Runs first, on the original syntax tree, so
 * blocks are found by their source positions (blocks.ts found the same).
 *
 * EDFI:   let <run's lexical names>;
 *         if (__rt.armed(IDX)) { __rt.hit(); <faulty run> } else { <run> }
 *         if (__rt.armed(IDX) ? <faulty condition> : <condition>) ...
 * prof:   __rt.prof(IDX, STATEMENTS); <run>
 */
import ts from 'typescript';
import { BlockInfo, loopCondition } from '../blocks';
import { isJump, isLoop, isStraightLine, posKey } from '../ast-util';
import { mutateSite } from '../sites';

export type BlockMode = 'edfi' | 'prof';

export function blockPass(mode: BlockMode, byKey: Map<string, BlockInfo>, rtName: string): ts.TransformerFactory<ts.SourceFile> {
  return (ctx) => {
    const f = ctx.factory;
    const rt = () => f.createIdentifier(rtName);
    const call = (fn: string, args: ts.Expression[]) => f.createCallExpression(f.createPropertyAccessExpression(rt(), fn), undefined, args);
    const num = (n: number) => f.createNumericLiteral(n);

    const visit = (n: ts.Node): ts.Node => {
      if (ts.isBlock(n)) return f.updateBlock(n, transformList(n.statements));
      if (ts.isCaseClause(n)) return f.updateCaseClause(n, ts.visitNode(n.expression, visit) as ts.Expression, transformList(n.statements));
      if (ts.isDefaultClause(n)) return f.updateDefaultClause(n, transformList(n.statements));
      if (isLoop(n)) return transformLoop(n);
      if (ts.isIfStatement(n)) {
        return f.updateIfStatement(n, ts.visitNode(n.expression, visit) as ts.Expression, visitBranch(n.thenStatement),
          n.elseStatement ? visitBranch(n.elseStatement) : undefined);
      }
      if (ts.isLabeledStatement(n)) return f.updateLabeledStatement(n, n.label, visitBranch(n.statement));
      return ts.visitEachChild(n, visit, ctx);
    };

    /**
     * A branch arm, loop body or labelled statement: an unbraced statement there
     * is a statement list of one (blocks.ts finds blocks in it too), braced when
     * instrumenting it takes more than one statement.
     */
    const visitBranch = (s: ts.Statement): ts.Statement => {
      if (ts.isBlock(s)) return ts.visitNode(s, visit) as ts.Statement;
      const out = transformList([s]);
      return out.length === 1 ? out[0]! : f.createBlock(out, true);
    };

    /** Lexical names a run declares, and the run with those declarations turned into assignments. */
    const hoist = (stmts: readonly ts.Statement[]): { names: ts.Identifier[]; body: ts.Statement[] } => {
      const names: ts.Identifier[] = [];
      const body: ts.Statement[] = [];
      for (const s of stmts) {
        if (ts.isVariableStatement(s) && s.declarationList.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) {
          for (const d of s.declarationList.declarations) {
            const id = d.name as ts.Identifier;
            names.push(f.createIdentifier(id.text));
            if (d.initializer) body.push(f.createExpressionStatement(f.createAssignment(f.createIdentifier(id.text), d.initializer)));
          }
        } else body.push(s);
      }
      return { names, body };
    };

    const faultyRun = (b: BlockInfo, run: readonly ts.Statement[], cond: ts.Expression | null): { stmts: ts.Statement[]; cond: ts.Expression | null } => {
      const m = b.fault!;
      if (m.type === 'null-pointer') {
        const deref = f.createExpressionStatement(f.createPropertyAccessExpression(f.createParenthesizedExpression(f.createNull()), 'edfi_null_dereference'));
        return { stmts: [deref, ...run], cond };
      }
      if (m.type === 'flip-branch') return { stmts: [...run], cond: cond && f.createLogicalNot(f.createParenthesizedExpression(cond)) };
      if (m.type === 'stuck-at-branch') return { stmts: [...run], cond: cond && (m.param ? f.createTrue() : f.createFalse()) };
      if (m.type === 'stuck-at-loop') return { stmts: [...run], cond: cond && f.createTrue() };
      let count = 0;
      const stmts = run.map((s) => { const r = mutateSite(ctx, s, m, rt(), count); count = r.next; return r.node as ts.Statement; });
      let c = cond;
      if (cond) { const r = mutateSite(ctx, cond, m, rt(), count); c = r.node as ts.Expression; }
      return { stmts, cond: c };
    };

    const emitRun = (out: ts.Statement[], run: ts.Statement[], terminator: ts.IfStatement | null) => {
      if (run.length === 0 && !terminator) return;
      const b = byKey.get(posKey(run.length > 0 ? run[0]! : terminator!));
      const visitedRun = run.map((s) => ts.visitNode(s, visit) as ts.Statement);
      const cond = terminator ? terminator.expression : null;
      let newCond: ts.Expression | null = cond ? (ts.visitNode(cond, visit) as ts.Expression) : null;
      if (!b) {
        out.push(...visitedRun);
      } else if (mode === 'prof') {
        if (run.length > 0) out.push(f.createExpressionStatement(call('prof', [num(b.index), num(b.statements)])), ...visitedRun);
        else newCond = f.createComma(call('prof', [num(b.index), num(1)]), newCond!);
      } else if (!b.fault) {
        out.push(...visitedRun);
      } else {
        const faulty = faultyRun(b, run, cond);
        const faultyStmts = faulty.stmts.map((s) => ts.visitNode(s, visit) as ts.Statement);
        const faultyCond = faulty.cond ? (ts.visitNode(faulty.cond, visit) as ts.Expression) : null;
        const armed = () => call('armed', [num(b.index)]);
        if (run.length > 0) {
          const o = hoist(visitedRun);
          const fz = hoist(faultyStmts);
          if (o.names.length) out.push(f.createVariableStatement(undefined, f.createVariableDeclarationList(o.names.map((n) => f.createVariableDeclaration(n)), ts.NodeFlags.Let)));
          out.push(f.createIfStatement(armed(),
            f.createBlock([f.createExpressionStatement(call('hit', [])), ...fz.body], true),
            f.createBlock(o.body, true)));
          if (newCond && faultyCond) newCond = f.createConditionalExpression(armed(), undefined, faultyCond, undefined, newCond);
        } else if (newCond && faultyCond) {
          newCond = f.createConditionalExpression(armed(), undefined, f.createComma(call('hit', []), faultyCond), undefined, newCond);
        }
      }
      if (terminator) {
        out.push(f.updateIfStatement(terminator, newCond!, visitBranch(terminator.thenStatement),
          terminator.elseStatement ? visitBranch(terminator.elseStatement) : undefined));
      }
    };

    const transformList = (stmts: readonly ts.Statement[]): ts.Statement[] => {
      const out: ts.Statement[] = [];
      let run: ts.Statement[] = [];
      for (const s of stmts) {
        if (isStraightLine(s)) { run.push(s); continue; }
        if (isJump(s)) { run.push(s); emitRun(out, run, null); run = []; continue; }
        if (ts.isIfStatement(s)) { emitRun(out, run, s); run = []; continue; }
        emitRun(out, run, null);
        run = [];
        out.push(ts.visitNode(s, visit) as ts.Statement);
      }
      emitRun(out, run, null);
      return out;
    };

    const transformLoop = (l: ts.IterationStatement): ts.Node => {
      const body = visitBranch(l.statement);
      const visited = withBody(ts.visitEachChild(l, (c) => (c === l.statement ? c : visit(c)), ctx) as ts.IterationStatement, body);
      const cond = loopCondition(l);
      const b = byKey.get(posKey(l));
      if (!cond || !b) return visited;
      const vcond = loopCondition(visited)!;
      let newCond: ts.Expression;
      if (mode === 'prof') newCond = f.createComma(call('prof', [num(b.index), num(1)]), vcond);
      else if (!b.fault) return visited;
      else {
        const fc = faultyRun(b, [], cond).cond!;
        newCond = f.createConditionalExpression(call('armed', [num(b.index)]), undefined,
          f.createComma(call('hit', []), ts.visitNode(fc, visit) as ts.Expression), undefined, vcond);
      }
      if (ts.isWhileStatement(visited)) return f.updateWhileStatement(visited, newCond, visited.statement);
      if (ts.isDoStatement(visited)) return f.updateDoStatement(visited, visited.statement, newCond);
      const fl = visited as ts.ForStatement;
      return f.updateForStatement(fl, fl.initializer, newCond, fl.incrementor, fl.statement);
    };

    const withBody = (l: ts.IterationStatement, body: ts.Statement): ts.IterationStatement => {
      if (ts.isWhileStatement(l)) return f.updateWhileStatement(l, l.expression, body);
      if (ts.isDoStatement(l)) return f.updateDoStatement(l, body, l.expression);
      if (ts.isForStatement(l)) return f.updateForStatement(l, l.initializer, l.condition, l.incrementor, body);
      if (ts.isForOfStatement(l)) return f.updateForOfStatement(l, l.awaitModifier, l.initializer, l.expression, body);
      if (ts.isForInStatement(l)) return f.updateForInStatement(l, l.initializer, l.expression, body);
      return l;
    };

    return (sf) => ts.visitEachChild(sf, visit, ctx);
  };
}
