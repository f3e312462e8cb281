/*
 * The Reliable Computing Base (the paper's §V-A): the code that must be
 * free of faults for recovery to work, in lines of code, against the
 * system (the paper's denominator is MINIX's code base: here the simulated
 * OS, OSIRIS, the EDFI run time and the hooks instrumented code calls,
 * SYSTEM_SOURCES) and, separately, against the whole tool (src/: the
 * system plus the build step, the experiments, the CLI and the report). Lines are counted the way SLOCCount counts them: a
 * physical line counts when it holds at least one character that is
 * neither whitespace nor comment — blank lines, comment-only lines and
 * every line inside a block comment are left out. Tokens come from the
 * TypeScript parser, so comment markers inside strings, templates and
 * regular expressions are not mistaken for comments.
 *
 * Which files (or marked sections of a file) belong to which part is data
 * (RCB_PARTS below). Each line is counted once: a line claimed by an
 * earlier part is not counted again by a later one.
 *
 * The entry points into this file are:
 *   RCB_PARTS   the part -> files mapping
 *   runRcb      the count (a plain JSON-able result)
 *   rcbCsv      the result as CSV columns and rows
 *   codeLines   which lines of a source text are code (SLOCCount's rule)
 *
 * Result shape (RcbResult):
 *   { method, root,
 *     parts: [{ part, mechanism, sloc, pct, files: [{ path, section, sloc }] }],
 *     excluded: [{ path, reason, sloc }],
 *     rcb: { sloc, pct, pctSystem }, system: { sloc, files, sources }, whole: { sloc, files } }
 * pct is percent of the whole (every .ts file under src/), pctSystem of the
 * system (every .ts file under SYSTEM_SOURCES), one decimal.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { DIST } from '../sim/variants';

/** A section of a file: the lines from the one starting with `from` up to (not including) the one starting with `to` (trimmed). */
export interface Section { from: string; to: string }

export interface PartSource { path: string; section?: Section }

export interface RcbPart {
  part: string;
  /** The paper's RCB mechanism this part implements. */
  mechanism: string;
  /** Files or folders (every .ts below), relative to the project root. */
  sources: PartSource[];
}

export const RCB_PARTS: readonly RcbPart[] = [
  {
    part: 'IPC substrate', mechanism: 'message passing substrate',
    sources: [{ path: 'src/os/kernel/ipc-api.ts' }, { path: 'src/os/kernel/types.ts' }, { path: 'src/os/kernel/ipc.ts' }],
  },
  { part: 'kernel', mechanism: 'message passing substrate (the rest of the microkernel)', sources: [{ path: 'src/os/kernel' }] },
  {
    part: 'window management', mechanism: 'recovery window management',
    sources: [{ path: 'src/osiris/checkpoint.ts' }, { path: 'src/osiris/window.ts' }, { path: 'src/osiris/seep-hook.ts' }, { path: 'src/osiris/hooks.ts' }],
  },
  { part: 'restart', mechanism: 'restartability', sources: [{ path: 'src/osiris/recovery.ts' }, { path: 'src/os/servers/rs/recovery.ts' }] },
  { part: 'SEF initialization', mechanism: 'initialization', sources: [{ path: 'src/os/sef' }] },
  { part: 'recovery library', mechanism: 'checkpointing (undo log), SEEP table, policies', sources: [{ path: 'src/osiris' }] },
];

/** Inside a part's folder but not trusted by recovery (a file, or a folder and every file below it). */
export const RCB_EXCLUDED: readonly { path: string; reason: string }[] = [
  { path: 'src/osiris/oracle', reason: 'consistency checker of the experiments: recovery never calls it' },
  { path: 'src/osiris/prof-counters.ts', reason: 'block counters of the profiling build (golden run, coverage): recovery never reads them' },
  { path: 'src/osiris/build-variants.ts', reason: 'names and folders of the builds, for the build step and the variant loader' },
];

/**
 * The system the RCB is a part of: what runs in the simulated machine. Paths
 * that do not exist are skipped (the run-time hooks may live in
 * src/instrument or beside the mechanisms they serve).
 */
export const SYSTEM_SOURCES: readonly string[] = ['src/os', 'src/osiris', 'src/edfi'];

export const RCB_METHOD = 'SLOCCount rule: physical lines with a non-blank, non-comment character (TypeScript tokens); block comments excluded';

export interface RcbFile { path: string; section: string | null; sloc: number }
export interface RcbPartResult { part: string; mechanism: string; sloc: number; pct: number; pctSystem: number; files: RcbFile[] }

export interface RcbResult {
  method: string;
  root: string;
  parts: RcbPartResult[];
  excluded: { path: string; reason: string; sloc: number }[];
  rcb: { sloc: number; pct: number; pctSystem: number };
  system: { sloc: number; files: number; sources: string[] };
  whole: { sloc: number; files: number };
}

function isJsDoc(n: ts.Node): boolean {
  return n.kind >= ts.SyntaxKind.FirstJSDocNode && n.kind <= ts.SyntaxKind.LastJSDocNode;
}

/** Per line of `text`: does it hold code? */
export function codeLines(text: string, fileName = 'x.ts'): boolean[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const code = new Array<boolean>(sf.getLineStarts().length).fill(false);
  const line = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line;
  const visit = (n: ts.Node): void => {
    if (isJsDoc(n)) return;
    const kids = n.getChildren(sf);
    if (kids.length === 0) {
      if (n.kind === ts.SyntaxKind.EndOfFileToken) return;
      const start = n.getStart(sf);
      const end = n.getEnd();
      if (end <= start) return;
      for (let l = line(start), last = line(end - 1); l <= last; l++) code[l] = true;
      return;
    }
    for (const k of kids) visit(k);
  };
  visit(sf);
  return code;
}

/** Every .ts file below `dir` (relative paths, sorted). */
function tsFiles(root: string, rel: string): string[] {
  const abs = path.join(root, rel);
  if (!fs.existsSync(abs)) return [];
  if (fs.statSync(abs).isFile()) return rel.endsWith('.ts') ? [rel] : [];
  const out: string[] = [];
  for (const e of fs.readdirSync(abs).sort()) out.push(...tsFiles(root, path.posix.join(rel, e)));
  return out;
}

function sectionRange(lines: string[], s: Section, file: string): [number, number] {
  const from = lines.findIndex((l) => l.trim().startsWith(s.from));
  const to = lines.findIndex((l, i) => i > from && l.trim().startsWith(s.to));
  if (from < 0 || to < 0) throw new Error(`rcb: section "${s.from.trim()}" .. "${s.to.trim()}" not found in ${file}`);
  return [from, to];
}

/** The project root holding src/ (this file is dist/src/experiment/rcb.js). */
export function projectRoot(): string {
  return path.resolve(DIST, '..');
}

export function runRcb(root: string = projectRoot()): RcbResult {
  const all = tsFiles(root, 'src');
  if (all.length === 0) throw new Error(`rcb: no TypeScript sources under ${path.join(root, 'src')}`);
  const code = new Map<string, boolean[]>();
  const text = new Map<string, string[]>();
  let whole = 0;
  for (const f of all) {
    const t = fs.readFileSync(path.join(root, f), 'utf8');
    const c = codeLines(t, f);
    code.set(f, c);
    text.set(f, t.split('\n'));
    whole += c.filter(Boolean).length;
  }
  const systemFiles = [...new Set(SYSTEM_SOURCES.flatMap((p) => tsFiles(root, p)))];
  const system = systemFiles.reduce((a, f) => a + code.get(f)!.filter(Boolean).length, 0);
  // Lines already counted, per file.
  const claimed = new Map<string, boolean[]>();
  const isExcluded = (f: string, e: string) => f === e || f.startsWith(e + '/');
  const parts: RcbPartResult[] = RCB_PARTS.map((p) => {
    const files: RcbFile[] = [];
    for (const src of p.sources) {
      const found = tsFiles(root, src.path);
      if (found.length === 0) throw new Error(`rcb: ${src.path} (part "${p.part}") not found under ${root}`);
      for (const f of found) {
        if (RCB_EXCLUDED.some((e) => isExcluded(f, e.path))) continue;
        const c = code.get(f)!;
        const [lo, hi] = src.section ? sectionRange(text.get(f)!, src.section, f) : [0, c.length];
        let mine = claimed.get(f);
        if (!mine) { mine = new Array<boolean>(c.length).fill(false); claimed.set(f, mine); }
        let n = 0;
        for (let l = lo; l < hi; l++) if (c[l] && !mine[l]) { mine[l] = true; n++; }
        if (n > 0) files.push({ path: f, section: src.section ? `${src.section.from.trim()} .. ${src.section.to.trim()}` : null, sloc: n });
      }
    }
    const sloc = files.reduce((a, x) => a + x.sloc, 0);
    return { part: p.part, mechanism: p.mechanism, sloc, pct: pct(sloc, whole), pctSystem: pct(sloc, system), files };
  });
  const rcb = parts.reduce((a, p) => a + p.sloc, 0);
  return {
    method: RCB_METHOD,
    root,
    parts,
    excluded: RCB_EXCLUDED.map((e) => ({ ...e, sloc: all.filter((f) => isExcluded(f, e.path)).reduce((n, f) => n + code.get(f)!.filter(Boolean).length, 0) })),
    rcb: { sloc: rcb, pct: pct(rcb, whole), pctSystem: pct(rcb, system) },
    system: { sloc: system, files: systemFiles.length, sources: [...SYSTEM_SOURCES] },
    whole: { sloc: whole, files: all.length },
  };
}

function pct(part: number, whole: number): number {
  return whole > 0 ? Math.round((1000 * part) / whole) / 10 : 0;
}

export function rcbCsv(r: RcbResult): { columns: string[]; rows: (string | number)[][] } {
  const rows: (string | number)[][] = [];
  for (const p of r.parts) for (const f of p.files) rows.push([p.part, f.path, f.section ?? '', f.sloc]);
  rows.push(['RCB', '', '', r.rcb.sloc]);
  rows.push(['system', SYSTEM_SOURCES.join(' '), '', r.system.sloc]);
  rows.push(['whole', 'src/', '', r.whole.sloc]);
  return { columns: ['part', 'file', 'section', 'sloc'], rows };
}
