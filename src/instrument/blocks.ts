/*
 * Blocks: the maximal straight-line statement runs of server code (DESIGN
 * §5), each with a stable id, its fault candidates and its chosen fault.
 * A run may end in an `if` whose condition belongs to it (a conditional
 * branch ends a basic block); each loop condition is a block of its own.
 * The fault of each block is chosen by a generator seeded with the
 * function's path, so editing one function moves no fault elsewhere.
 *
 * The entry points into this file are:
 *   segment        split a statement list into runs (shared with the passes)
 *   analyzeFile    every block of a source file
 */
import ts from 'typescript';
import seedrandom from 'seedrandom';
import { FAULT_TYPES, FaultType } from '../edfi/fault-types';
import type { BlockInfo } from '../edfi/block-map';
import { countSites, Mutation } from './sites';
import { hash32, isFunctionWithBody, isJump, isLoop, isStraightLine, posKey } from './ast-util';

export interface Segment {
  run: ts.Statement[];
  /** An `if` ending the run: its condition is part of the block. */
  terminator: ts.IfStatement | null;
}

/** The block map's record of a block is the run-time side's (src/edfi/block-map.ts). */
export type { BlockInfo };

/** Split statements into straight-line runs, each closed by a jump, an `if`, or any other control statement. */
export function segment(stmts: readonly ts.Statement[]): Segment[] {
  const out: Segment[] = [];
  let run: ts.Statement[] = [];
  const flush = (terminator: ts.IfStatement | null) => {
    if (run.length > 0 || terminator) out.push({ run, terminator });
    run = [];
  };
  for (const s of stmts) {
    if (isStraightLine(s)) { run.push(s); continue; }
    if (isJump(s)) { run.push(s); flush(null); continue; }
    if (ts.isIfStatement(s)) { flush(s); continue; }
    flush(null);
  }
  flush(null);
  return out;
}

/** The condition of a loop that has one (for-of/for-in have none). */
export function loopCondition(l: ts.IterationStatement): ts.Expression | undefined {
  if (ts.isWhileStatement(l) || ts.isDoStatement(l)) return l.expression;
  if (ts.isForStatement(l)) return l.condition;
  return undefined;
}

export function segmentKey(seg: Segment): string {
  return posKey(seg.run.length > 0 ? seg.run[0]! : seg.terminator!);
}

function hasPatternDeclaration(run: readonly ts.Statement[]): boolean {
  return run.some((s) => ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => !ts.isIdentifier(d.name)));
}

const SITE_TYPES = FAULT_TYPES.filter((t) => !['null-pointer', 'flip-branch', 'stuck-at-branch', 'stuck-at-loop'].includes(t));

function candidatesOf(nodes: ts.Node[], hasCondition: boolean, isLoopHeader: boolean): { types: FaultType[]; counts: Map<FaultType, number> } {
  const types: FaultType[] = ['null-pointer'];
  const counts = new Map<FaultType, number>();
  if (hasCondition) { types.push('flip-branch', 'stuck-at-branch'); }
  if (isLoopHeader) types.push('stuck-at-loop');
  for (const t of SITE_TYPES) {
    const n = countSites(t, nodes);
    if (n > 0) { types.push(t); counts.set(t, n); }
  }
  types.sort((a, b) => FAULT_TYPES.indexOf(a) - FAULT_TYPES.indexOf(b));
  return { types, counts };
}

function chooseFault(rng: seedrandom.PRNG, types: FaultType[], counts: Map<FaultType, number>): Mutation {
  // Always three draws per block, so one block's candidates never shift the next block's choice.
  const a = rng(), b = rng(), c = rng();
  const type = types[Math.floor(a * types.length)]!;
  const site = Math.floor(b * (counts.get(type) ?? 1));
  const param = type === 'buffer-overflow' ? 1 + Math.floor(c * 16) : (c < 0.5 ? -1 : 1);
  return { type, site, param: type === 'stuck-at-branch' || type === 'corrupt-pointer' ? (c < 0.5 ? 0 : 1) : param };
}

export interface FileContext {
  server: string;
  /** Path within the server folder, e.g. "forkexit.ts". */
  file: string;
  /** No faults in this file (recovery code). */
  excludeFaults: string | null;
  /** The server's copy of shared library code: ids read "pm:sef/loop.ts:…" rather than "pm/main.ts:…". */
  shared?: boolean;
}

/** Every block of one server source file, in source order. */
export function analyzeFile(sf: ts.SourceFile, fc: FileContext): BlockInfo[] {
  const blocks: BlockInfo[] = [];
  const anonCount = new Map<string, number>();

  const pathOf = (fn: ts.Node, parentPath: string): string => {
    let name: string | null = null;
    if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name) name = fn.name.text;
    else if (ts.isMethodDeclaration(fn) && ts.isIdentifier(fn.name)) name = fn.name.text;
    else if (fn.parent && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) name = fn.parent.name.text;
    else if (fn.parent && ts.isPropertyAssignment(fn.parent) && ts.isIdentifier(fn.parent.name)) name = fn.parent.name.text;
    if (!name) {
      const k = anonCount.get(parentPath) ?? 0;
      anonCount.set(parentPath, k + 1);
      name = `<anon${k}>`;
    }
    return parentPath ? `${parentPath}/${name}` : name;
  };

  const doFunction = (fn: ts.Node & { body?: ts.Node }, parentPath: string) => {
    const fpath = pathOf(fn, parentPath);
    const unit = fc.shared ? `${fc.server}:${fc.file}` : `${fc.server}/${fc.file}`;
    const rng = seedrandom(`${unit}:${fpath}`);
    let n = 0;
    const add = (kind: BlockInfo['kind'], key: string, first: ts.Node, stmtCount: number, nodes: ts.Node[], hasCond: boolean, isLoopHdr: boolean, bad: string | null) => {
      const id = `${unit}:${fpath}#${n++}`;
      const { types, counts } = candidatesOf(nodes, hasCond, isLoopHdr);
      const excluded = fc.excludeFaults ?? bad ?? undefined;
      const fault = chooseFault(rng, types, counts);
      blocks.push({
        id, hash: hash32(id), index: -1, server: fc.server, file: fc.file,
        line: sf.getLineAndCharacterOfPosition(first.getStart(sf)).line + 1, function: fpath,
        statements: stmtCount, kind, key, candidates: excluded ? [] : types, fault: excluded ? null : fault, excluded,
        ...(fc.shared ? { shared: true as const } : {}),
      });
    };
    const visitList = (stmts: readonly ts.Statement[]) => {
      for (const seg of segment(stmts)) {
        const nodes: ts.Node[] = [...seg.run];
        if (seg.terminator) nodes.push(seg.terminator.expression);
        const first = seg.run.length > 0 ? seg.run[0]! : seg.terminator!;
        add('run', segmentKey(seg), first, seg.run.length + (seg.terminator ? 1 : 0), nodes, seg.terminator !== null, false,
          hasPatternDeclaration(seg.run) ? 'destructuring declaration' : null);
        for (const s of seg.run) visitNested(s);
        if (seg.terminator) visitStatement(seg.terminator);
      }
      for (const s of stmts) if (!isStraightLine(s) && !isJump(s) && !ts.isIfStatement(s)) visitStatement(s);
    };
    const visitStatement = (s: ts.Statement) => {
      if (ts.isIfStatement(s)) {
        visitNested(s.expression);
        visitBranch(s.thenStatement);
        if (s.elseStatement) visitBranch(s.elseStatement);
      } else if (isLoop(s)) {
        const cond = loopCondition(s);
        if (cond) add('loop', posKey(s), s, 1, [cond], true, true, null);
        if (ts.isForStatement(s)) { if (s.initializer) visitNested(s.initializer); if (s.incrementor) visitNested(s.incrementor); }
        if (ts.isForOfStatement(s) || ts.isForInStatement(s)) visitNested(s.expression);
        if (cond) visitNested(cond);
        visitBranch(s.statement);
      } else if (ts.isBlock(s)) visitList(s.statements);
      else if (ts.isSwitchStatement(s)) {
        visitNested(s.expression);
        for (const c of s.caseBlock.clauses) visitList(c.statements);
      } else if (ts.isTryStatement(s)) {
        visitList(s.tryBlock.statements);
        if (s.catchClause) visitList(s.catchClause.block.statements);
        if (s.finallyBlock) visitList(s.finallyBlock.statements);
      } else if (ts.isLabeledStatement(s)) visitBranch(s.statement);
      else visitNested(s);
    };
    const visitBranch = (s: ts.Statement) => {
      if (ts.isBlock(s)) visitList(s.statements);
      else visitList([s]);
    };
    /** Nested functions inside expressions get their own blocks. */
    const visitNested = (node: ts.Node) => {
      const walk = (x: ts.Node): void => {
        if (isFunctionWithBody(x)) { doFunction(x, fpath); return; }
        ts.forEachChild(x, walk);
      };
      walk(node);
    };
    const body = fn.body;
    if (body && ts.isBlock(body)) visitList(body.statements);
    else if (body) visitNested(body);
  };

  const top = (node: ts.Node): void => {
    if (isFunctionWithBody(node)) { doFunction(node, ''); return; }
    ts.forEachChild(node, top);
  };
  top(sf);
  return blocks;
}
