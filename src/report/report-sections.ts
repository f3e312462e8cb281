/*
 * The report's experiment sections: coverage (Table I), overhead (Tables
 * IV/V), memory (Table VI), disruption (Fig. 3) and the RCB, each from its
 * experiment's plain result, with the paper's figures beside ours where
 * the paper has them. Survivability is in survivability-section.ts.
 *
 * The entry points into this file are:
 *   coverageSection     Table I
 *   benchSection        Tables IV and V
 *   memorySection       Table VI
 *   disruptionSection   Fig. 3
 *   rcbSection          the Reliable Computing Base
 */
import type { BenchResult } from '../experiment/performance';
import type { CoverageResult } from '../experiment/coverage';
import type { DisruptionResult } from '../experiment/disruption';
import type { MemoryResult } from '../experiment/memory';
import type { RcbResult } from '../experiment/rcb';
import type { Block, Column, Got, Section } from './document';
import { coverageChart, disruptionChart, slowdownChart, type DisruptionPoint, type GroupedValue } from './charts';
import { PAPER_BASELINE, PAPER_COVERAGE, PAPER_MEMORY, PAPER_RCB, PAPER_SLOWDOWN } from './paper';

export type { BenchResult, CoverageResult, DisruptionResult, MemoryResult, RcbResult };

const one = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const int = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–');

function unavailable(id: string, title: string, intro: string[], why: string): Section {
  return { id, title, intro, blocks: [{ kind: 'missing', text: why }] };
}

// ---- coverage (Table I) -------------------------------------------------

const COVERAGE_INTRO = ['The share of the statements the five recoverable servers executed during the test suite that ran while their recovery window was open ' +
  '(block executions weighted by statement count, counted by the `osiris+prof` build), per recovery policy; the last row weights each server by the statements it executed. ' +
  'The paper counted basic blocks in MINIX 3 under its own test suite.'];

export function coverageSection(got: Got<CoverageResult>): Section {
  const id = 'coverage', title = 'Recovery coverage (Table I)';
  if (!got.ok) return unavailable(id, title, COVERAGE_INTRO, got.reason);
  const r = got.value;
  const modes = r.modes.map((m) => m.mode);
  const servers = r.modes[0]?.servers.map((s) => s.server) ?? [];
  const paperOf = (server: string, mode: string): number | undefined => {
    const row = PAPER_COVERAGE[server];
    return row && (mode === 'pessimistic' || mode === 'enhanced') ? row[mode] : undefined;
  };
  const hasPaper = (mode: string) => mode === 'pessimistic' || mode === 'enhanced';

  const columns: Column[] = [{ title: 'Server', align: 'l' }];
  for (const m of modes) {
    columns.push({ title: 'ours %', align: 'r', group: m, sep: true });
    if (hasPaper(m)) columns.push({ title: 'paper %', align: 'r', group: m, paper: true });
  }
  columns.push({ title: 'statements executed', align: 'r', sep: true }, { title: 'blocks executed', align: 'r' });
  const rows: string[][] = servers.map((server, i) => {
    const row = [server.toUpperCase()];
    for (const m of r.modes) {
      row.push(one(m.servers[i]!.coverage));
      if (hasPaper(m.mode)) row.push(one(paperOf(server, m.mode) ?? NaN));
    }
    row.push(int(r.modes[0]!.servers[i]!.executed), int(r.modes[0]!.servers[i]!.blocks));
    return row;
  });
  const total = ['Weighted average'];
  for (const m of r.modes) {
    total.push(one(m.weighted));
    if (hasPaper(m.mode)) total.push(one(paperOf('weighted', m.mode) ?? NaN));
  }
  total.push(int(r.modes[0]?.servers.reduce((a, s) => a + s.executed, 0) ?? NaN), int(r.modes[0]?.servers.reduce((a, s) => a + s.blocks, 0) ?? NaN));
  rows.push(total);

  const passed = r.modes.map((m) => `${m.mode} ${m.passed}/${r.programs}`).join(', ');
  const ours: GroupedValue[] = [];
  const paper: GroupedValue[] = [];
  for (const m of r.modes) {
    for (const s of m.servers) ours.push({ group: s.server.toUpperCase(), series: m.mode, value: s.coverage });
    ours.push({ group: 'weighted', series: m.mode, value: m.weighted });
    for (const g of [...servers, 'weighted']) {
      const p = paperOf(g, m.mode);
      if (p !== undefined) paper.push({ group: g === 'weighted' ? 'weighted' : g.toUpperCase(), series: m.mode, value: p });
    }
  }
  const blocks: Block[] = [
    {
      kind: 'table', id: 'coverage-table', caption: 'Table I: % of executed statements inside the recovery window',
      columns, rows, totalRows: [rows.length - 1],
      notes: [`${r.programs} suite programs under each policy (passed: ${passed}).`],
    },
    {
      kind: 'chart', id: 'coverage-chart', title: 'Recovery coverage per server',
      spec: coverageChart([...servers.map((s) => s.toUpperCase()), 'weighted'], modes, ours, paper), svg: '',
    },
  ];
  return { id, title, intro: COVERAGE_INTRO, blocks };
}

// ---- overhead (Tables IV and V) -----------------------------------------

const BENCH_INTRO = ['The twelve Unixbench-like programs under four configurations. Simulated scores come from the documented cost model ' +
  '(deterministic: every configuration makes the same schedule, the instrumentation\'s cost is charged to a separate ledger); ' +
  'wall scores are medians of timed runs, configurations interleaved in one process. Slowdown = baseline score / configuration score.'];

/** The paper's Table V figure for each of our configurations. */
const PAPER_SLOWDOWN_OF: Record<string, number> = {
  ckpt: PAPER_SLOWDOWN.withoutWindowOpt, 'osiris-pessimistic': PAPER_SLOWDOWN.pessimistic, 'osiris-enhanced': PAPER_SLOWDOWN.enhanced,
};

/** The repetitions per run, as one number when the programs agree, else their range. */
function repsText(r: BenchResult): string {
  const reps = r.programs.map((p) => p.reps);
  const lo = Math.min(...reps), hi = Math.max(...reps);
  return lo === hi ? String(lo) : `${lo}–${hi}`;
}

const ratio = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '–');
const spread = (s: { min: number; max: number }) => `${ratio(s.min)}–${ratio(s.max)}`;
const score = (x: number) => (Number.isFinite(x) ? (x >= 100 ? int(x) : x.toPrecision(3)) : '–');

export function benchSection(got: Got<BenchResult>): Section {
  const id = 'overhead', title = 'Performance overhead (Tables IV and V)';
  if (!got.ok) return unavailable(id, title, BENCH_INTRO, got.reason);
  const r = got.value;
  const configs = r.configs.map((c) => c.name);
  const others = configs.filter((c) => c !== 'baseline');
  const blocks: Block[] = [];

  blocks.push({
    kind: 'table', id: 'overhead-configs', caption: 'Configurations',
    columns: [{ title: 'Configuration', align: 'l' }, { title: 'Build', align: 'l' }, { title: 'Policy', align: 'l' }, { title: 'What it is', align: 'l' }],
    rows: r.configs.map((c) => [c.name, c.variant, c.policy ?? '–', c.description]),
  });

  const scoreCols: Column[] = [{ title: 'Program', align: 'l' }, { title: 'Unit', align: 'l' }];
  for (const c of configs) scoreCols.push({ title: 'simulated', align: 'r', group: c, sep: true }, { title: 'wall', align: 'r', group: c });
  scoreCols.push({ title: 'Completed', align: 'l', sep: true });
  blocks.push({
    kind: 'table', id: 'overhead-scores', caption: 'Table IV: scores (iterations per simulated / wall-clock second)',
    columns: scoreCols,
    rows: r.programs.map((p) => [p.name, p.unit, ...configs.flatMap((c) => [score(p.configs[c].simScore), score(p.configs[c].wallScore)]),
      configs.every((c) => p.configs[c].completed) ? 'all' : configs.filter((c) => !p.configs[c].completed).map((c) => `not ${c}`).join(', ')]),
    notes: [`The paper's Table IV compares MINIX 3 with OSIRIS against Linux (geomean score ${PAPER_BASELINE.linux} on Linux vs ${PAPER_BASELINE.osiris}, ` +
      `${PAPER_BASELINE.slowdown.toFixed(2)}× slower); the simulation has no Linux to compare with, so its scores stand alone. ` +
      `Wall times are medians of ${r.runs} runs; a run repeats the program ${repsText(r)} times from a fresh snapshot and averages.`],
  });

  const slowCols: Column[] = [{ title: 'Program', align: 'l' }];
  for (const c of others) slowCols.push({ title: 'simulated × (cost model)', align: 'r', group: c, sep: true }, { title: 'wall × (spread)', align: 'r', group: c, detail: true });
  const slowRows = r.programs.map((p) => [p.name, ...others.flatMap((c) => [ratio(p.configs[c].slowdownSim), `${ratio(p.configs[c].slowdownWall)} (${spread(p.configs[c].wallSpread)})`])]);
  slowRows.push(['geomean', ...others.flatMap((c) => [ratio(r.geomean[c].slowdownSim), `${ratio(r.geomean[c].slowdownWall)} (${spread(r.geomean[c].wallSpread)})`])]);
  blocks.push({
    kind: 'table', id: 'overhead-slowdown', caption: 'Table V: slowdown against the baseline, per program', columns: slowCols, rows: slowRows,
    totalRows: [slowRows.length - 1],
    notes: ['Spread: the smallest and largest ratio of a run to the baseline\'s run of the same round.' +
      (r.sameSchedule ? ' Every configuration made the same schedule (same simulated time and messages apart from the instrumentation ledger).' : ' Note: the configurations did not all make the same schedule.')],
  });

  blocks.push({
    kind: 'table', id: 'overhead-geomean', caption: 'Table V: geomean slowdown, ours beside the paper\'s',
    columns: [{ title: 'Configuration', align: 'l' }, { title: 'simulated × (cost model)', align: 'r', group: 'ours' }, { title: 'wall × (medians)', align: 'r', group: 'ours' },
      { title: 'wall spread', align: 'r', group: 'ours' }, { title: 'wall × (minima)', align: 'r', group: 'ours' }, { title: '×', align: 'r', paper: true, group: 'paper', sep: true }],
    rows: others.map((c) => [c, ratio(r.geomean[c].slowdownSim), ratio(r.geomean[c].slowdownWall), spread(r.geomean[c].wallSpread),
      ratio(r.geomean[c].slowdownWallMin), PAPER_SLOWDOWN_OF[c] !== undefined ? ratio(PAPER_SLOWDOWN_OF[c]) : '–']),
    notes: ['The paper\'s "without optimization" column is our ckpt (every store logged); its pessimistic and enhanced are our osiris-pessimistic and osiris-enhanced. ' +
      'Wall × (minima): the ratio of the fastest runs, less sensitive to other load on the machine.'],
  });

  const groups = [...r.programs.map((p) => p.name), 'geomean'];
  const paper = others.filter((c) => PAPER_SLOWDOWN_OF[c] !== undefined).map((c) => ({ group: 'geomean', series: c, value: PAPER_SLOWDOWN_OF[c]! }));
  for (const kind of ['sim', 'wall'] as const) {
    const ours: GroupedValue[] = [];
    // Wall time is measured, so it carries the spread of its repetitions; simulated time is the same in every run.
    const wall = (value: number, s: { min: number; max: number }): GroupedValue => ({ value, lo: s.min, hi: s.max, noise: s.min <= 1 && 1 <= s.max, group: '', series: '' });
    for (const p of r.programs) for (const c of others) {
      const x = p.configs[c];
      ours.push(kind === 'sim' ? { group: p.name, series: c, value: x.slowdownSim } : { ...wall(x.slowdownWall, x.wallSpread), group: p.name, series: c });
    }
    for (const c of others) {
      const g = r.geomean[c];
      ours.push(kind === 'sim' ? { group: 'geomean', series: c, value: g.slowdownSim } : { ...wall(g.slowdownWall, g.wallSpread), group: 'geomean', series: c });
    }
    blocks.push({
      kind: 'chart', id: `slowdown-${kind}`, title: `Slowdown per program (${kind === 'sim' ? 'simulated' : 'wall'} time)`,
      spec: slowdownChart(`Slowdown per program — ${kind === 'sim' ? 'simulated time (cost model)' : `wall time (median of ${r.runs} runs)`}`, groups, others, ours, paper),
      svg: '',
    });
  }
  return { id, title, intro: BENCH_INTRO, blocks };
}

// ---- memory (Table VI) --------------------------------------------------

const MEMORY_INTRO = ['Per recoverable server: the data section, the spare clone recovery keeps ready, and the largest undo log seen during the ' +
  'Unixbench-like programs; the overhead is the clone plus the undo log. Sizes are of the simulation\'s own structures, in kB (1024 bytes).'];

export function memorySection(got: Got<MemoryResult>): Section {
  const id = 'memory', title = 'Memory overhead (Table VI)';
  if (!got.ok) return unavailable(id, title, MEMORY_INTRO, got.reason);
  const r = got.value;
  const kb = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
  const rows = r.servers.map((s) => {
    const p = PAPER_MEMORY[s.server];
    return [s.server.toUpperCase(), kb(s.dataKb), kb(s.cloneKb), kb(s.undoKb), int(s.undoEntries), s.undoProgram || '–', kb(s.overheadKb),
      p ? int(p.base) : '–', p ? int(p.clone) : '–', p ? int(p.undoLog) : '–'];
  });
  const paperSum = (k: 'base' | 'clone' | 'undoLog') => int(r.servers.reduce((a, s) => a + (PAPER_MEMORY[s.server]?.[k] ?? 0), 0));
  rows.push(['Total', kb(r.total.dataKb), kb(r.total.cloneKb), kb(r.total.undoKb), int(r.servers.reduce((a, s) => a + s.undoEntries, 0)), '', kb(r.total.overheadKb),
    paperSum('base'), paperSum('clone'), paperSum('undoLog')]);
  const overflowed = r.servers.filter((s) => s.undoOverflowed).map((s) => s.server.toUpperCase());
  const blocks: Block[] = [{
    kind: 'table', id: 'memory-table', caption: 'Table VI: memory per server (kB)',
    columns: [
      { title: 'Server', align: 'l' },
      { title: 'data section', align: 'r', group: 'ours', sep: true }, { title: 'spare clone', align: 'r', group: 'ours' },
      { title: 'undo log', align: 'r', group: 'ours' }, { title: 'entries', align: 'r', group: 'ours' }, { title: 'largest during', align: 'l', group: 'ours' },
      { title: 'overhead', align: 'r', group: 'ours' },
      { title: 'base', align: 'r', group: 'paper', paper: true, sep: true }, { title: '+clone', align: 'r', group: 'paper', paper: true },
      { title: '+undo log', align: 'r', group: 'paper', paper: true },
    ],
    rows, totalRows: [rows.length - 1],
    notes: [
      `How measured — data section: ${r.method.dataSection}; spare clone: ${r.method.clone}; undo log: ${r.method.undoLog} (${r.undoEntryBytes} bytes per entry).`,
      'The paper measured whole MINIX 3 server images (code, data, heap) on x86, so its sizes are of a different kind; they are shown for proportion only.',
      ...(overflowed.length ? [`The undo log reached its limit in ${overflowed.join(', ')}.`] : []),
    ],
  }];
  return { id, title, intro: MEMORY_INTRO, blocks };
}

// ---- disruption (Fig. 3) ------------------------------------------------

const DISRUPTION_INTRO = ['The Unixbench-like programs while PM is made to crash (fail-stop, inside its recovery window) at regular intervals of ' +
  'simulated time, the interval halving step by step. Each crash is recovered and answered with an error reply; the C library repeats the call. ' +
  'Scores are relative to the undisturbed run of the same program. The paper shows this experiment as a figure only, with no numbers to set beside ours.'];

/** An interval in ns as a readable simulated duration. */
function duration(ns: number): string {
  if (ns >= 1e6) return `${+(ns / 1e6).toPrecision(3)} ms`;
  if (ns >= 1e3) return `${+(ns / 1e3).toPrecision(3)} µs`;
  return `${ns} ns`;
}

export function disruptionSection(got: Got<DisruptionResult>): Section {
  const id = 'disruption', title = 'Service disruption (Fig. 3)';
  if (!got.ok) return unavailable(id, title, DISRUPTION_INTRO, got.reason);
  const r = got.value;
  const nProg = r.intervals[0]?.programs.length ?? 0;
  const rows = r.intervals.map((s) => {
    const done = s.programs.filter((p) => p.completed);
    const worst = done.reduce((a, p) => (p.relative < a!.relative ? p : a), done[0]);
    return [s.intervalNs === null ? 'none (undisturbed)' : duration(s.intervalNs), int(s.crashes),
      `${done.length}/${nProg}`, s.allCompleted ? s.geomeanRelative.toFixed(3) : `${s.geomeanRelative.toFixed(3)} (incomplete runs included)`,
      worst ? `${worst.relative.toFixed(3)} (${worst.name})` : '–'];
  });
  // One line per interval: the programs that did not complete and how they ended (identical endings said once).
  const incomplete: string[] = [];
  for (const s of r.intervals) {
    const bad = s.programs.filter((p) => !p.completed);
    if (bad.length === 0) continue;
    const endings = [...new Set(bad.map((p) => `${p.status}${p.failure ? `: ${p.failure}` : ''}`))];
    incomplete.push(`at ${s.intervalNs === null ? 'no crashes' : duration(s.intervalNs)}, ${bad.map((p) => p.name).join(', ')} (${endings.join('; ')})`);
  }
  const blocks: Block[] = [];
  blocks.push(r.allCompleted
    ? { kind: 'text', text: `**Every run completed**: all ${nProg} programs at every one of the ${r.steps} crash intervals (policy ${r.policy}, crashing ${r.server.toUpperCase()}).` }
    : { kind: 'missing', text: `**Not every run completed** — ${incomplete.join('; ')}. Their scores are left out of the chart.` });
  blocks.push({
    kind: 'table', id: 'disruption-table', caption: 'Score under periodic crashes of PM, relative to the undisturbed run',
    columns: [{ title: 'Interval between crashes', align: 'r' }, { title: 'Crashes', align: 'r' }, { title: 'Completed', align: 'r' },
      { title: 'Geomean relative score', align: 'r', detail: true }, { title: 'Lowest, of the completed (program)', align: 'l' }],
    rows,
  });
  const series = [...(r.intervals[0]?.programs.map((p) => p.name) ?? []), 'geomean'];
  const points: DisruptionPoint[] = [];
  for (const s of r.intervals) {
    if (s.intervalNs === null) continue;
    // A run that did not complete has no meaningful score; nor has a geomean over one.
    for (const p of s.programs) if (p.completed) points.push({ interval: s.intervalNs / 1e3, series: p.name, value: p.relative });
    if (s.allCompleted) points.push({ interval: s.intervalNs / 1e3, series: 'geomean', value: s.geomeanRelative });
  }
  blocks.push({
    kind: 'chart', id: 'disruption-chart', title: 'Relative score against the crash interval',
    spec: disruptionChart('score relative to the undisturbed run', 'interval between crashes (simulated µs, log scale; crashes more frequent →)',
      `${r.server.toUpperCase()} crashed at each interval, ${r.policy} policy; the thick line is the geomean`, points, series),
    svg: '',
  });
  return { id, title, intro: DISRUPTION_INTRO, blocks };
}

// ---- the Reliable Computing Base ----------------------------------------

const RCB_INTRO = ['The code that must be free of faults for recovery to work — the kernel and its IPC substrate, the recovery library, ' +
  'window management, restart and SEF initialization — in lines of code, against the whole code base.'];

export function rcbSection(got: Got<RcbResult>): Section {
  const id = 'rcb', title = 'Reliable Computing Base';
  if (!got.ok) return unavailable(id, title, RCB_INTRO, got.reason);
  const r = got.value;
  const dash = ['–', '–'];
  const rows = r.parts.map((p) => [p.part, p.mechanism, int(p.sloc), one(p.pct), String(p.files.length), ...dash]);
  rows.push(['RCB', '', int(r.rcb.sloc), one(r.rcb.pct), String(r.parts.reduce((a, p) => a + p.files.length, 0)), int(PAPER_RCB.rcbLoc), one(PAPER_RCB.percent)]);
  rows.push(['Whole code base', 'every .ts file under src/', int(r.whole.sloc), '100.0', String(r.whole.files), int(PAPER_RCB.totalLoc), '100.0']);
  const blocks: Block[] = [
    {
      kind: 'text',
      text: `**${int(r.rcb.sloc)} lines are in the RCB: ${one(r.rcb.pctSystem)}% of the system** (${int(r.system.sloc)} lines: ${r.system.sources.join(', ')}; the paper's denominator is the system) ` +
        `and ${one(r.rcb.pct)}% of the whole tool (${int(r.whole.sloc)} lines); the paper's was ${int(PAPER_RCB.rcbLoc)} of ${int(PAPER_RCB.totalLoc)} (${one(PAPER_RCB.percent)}%).`,
    },
    {
      kind: 'table', id: 'rcb-table', caption: 'The RCB by part, in lines of code',
      columns: [{ title: 'Part', align: 'l' }, { title: 'Mechanism', align: 'l' },
        { title: 'LOC', align: 'r', group: 'ours', sep: true }, { title: '% of whole', align: 'r', group: 'ours' }, { title: 'files', align: 'r', group: 'ours' },
        { title: 'LOC', align: 'r', group: 'paper', paper: true, sep: true }, { title: '% of whole', align: 'r', group: 'paper', paper: true }],
      rows, totalRows: [rows.length - 2],
      notes: [`Counting: ${r.method}. A line claimed by an earlier part is not counted again.`,
        ...r.excluded.map((e) => `Not in the RCB: ${e.path} (${int(e.sloc)} lines), ${e.reason}.`),
        'The paper counted MINIX 3 and its OSIRIS additions in C; it gives totals only.'],
    },
  ];
  return { id, title, intro: RCB_INTRO, blocks };
}
