/*
 * Small synthetic inputs for the report tests: every experiment's result
 * object and one campaign's results, built directly (nothing is run), with
 * made-up numbers of the right shapes.
 *
 * The entry points into this file are:
 *   syntheticResults   one campaign's results (manifest and runs)
 *   syntheticInputs    a whole report's inputs
 */
import type { Manifest, RunRecord } from '../../src/experiment/journal';
import type { BenchConfigName, BenchResult, ConfigFigures } from '../../src/experiment/performance';
import type { CoverageResult } from '../../src/experiment/coverage';
import type { DisruptionResult } from '../../src/experiment/disruption';
import { MEMORY_METHOD, type MemoryResult } from '../../src/experiment/memory';
import type { RcbResult } from '../../src/experiment/rcb';
import type { ReportInputs } from '../../src/report/build-report';
import type { Results } from '../../src/report/load-results';

const MODES = ['stateless', 'naive', 'pessimistic', 'enhanced'];
const OUTCOMES: RunRecord['outcome'][] = ['pass', 'fail', 'shutdown', 'crash'];

export function syntheticResults(name = 'syn', faults = 8): Results {
  // Two servers and three functions each, so the breakdowns and the recoverability map have several groups.
  const serverOf = (i: number) => (i % 2 ? 'vfs' : 'pm');
  const fl = Array.from({ length: faults }, (_, i) => ({ block: `${serverOf(i)}/a.ts:f${i % 3}#${i}`, faultType: 'null-pointer' }));
  const manifest: Manifest = {
    format: 1, campaign: { name, file: `/x/${name}.json`, identity: { name, seed: 's', faultModel: 'failstop' } },
    tool: { name: 'osiris-fi', version: '0.1.0' }, variantHash: 'v1abcdef01234567', profileHash: 'p1', faults: fl, modes: MODES,
    runs: fl.length * MODES.length, shard: null,
  };
  const runs: RunRecord[] = [];
  fl.forEach((f, i) => MODES.forEach((mode, m) => {
    const outcome = OUTCOMES[(i + m) % 4]!;
    runs.push({
      key: `${f.block}|${f.faultType}|${mode}`, mode, block: f.block, server: serverOf(i), faultType: f.faultType, outcome,
      detail: outcome === 'crash' && i % 2 ? 'timeout' : outcome, activations: 1, recoveries: m > 0 ? 1 : 0, recoveryActions: [],
      oracleViolations: i === 3 ? 1 : 0, failedTests: [], programs: 4, simTimeNs: 1000, messages: 50, halt: null, error: null, wallMs: 1,
    });
  }));
  return { dirs: [`/tmp/${name}-1`], manifest, runs, expected: runs.length, torn: [] };
}

function syntheticCoverage(): CoverageResult {
  const servers = ['pm', 'vfs', 'vm', 'ds', 'rs'];
  return {
    programs: 89,
    modes: ['pessimistic', 'enhanced'].map((mode, m) => ({
      mode, passed: 89, weighted: 50 + 10 * m,
      servers: servers.map((server, i) => ({ server, inside: 100 + 10 * i + 20 * m, outside: 100, executed: 200 + 10 * i + 20 * m, blocks: 30 + i, coverage: 40 + 5 * i + 10 * m })),
      functions: [],
    })),
  };
}

const PROGRAMS = ['dhry2reg', 'whetstone', 'execl', 'fstime'];
const CONFIGS: BenchConfigName[] = ['baseline', 'ckpt', 'osiris-pessimistic', 'osiris-enhanced'];

function syntheticBench(): BenchResult {
  const fig = (p: number, c: number): ConfigFigures => {
    const slow = 1 + 0.1 * c + 0.02 * p;
    return {
      completed: true, simNs: 1e6, overheadNs: 1e5 * c, simScore: 1000 / slow, wallMs: { median: 2 * slow, min: 1.9 * slow, max: 2.2 * slow },
      wallScore: 500 / slow, slowdownSim: c === 0 ? 1 : slow, slowdownWall: c === 0 ? 1 : slow * 1.01, slowdownWallMin: c === 0 ? 1 : slow * 1.005, wallSpread: { min: c === 0 ? 1 : slow - 0.05, max: c === 0 ? 1 : slow + 0.05 },
    };
  };
  const geo = (c: number) => ({ slowdownSim: 1 + 0.1 * c, slowdownWall: 1 + 0.11 * c, slowdownWallMin: 1 + 0.105 * c, wallSpread: { min: 1 + 0.09 * c, max: 1 + 0.13 * c } });
  return {
    runs: 3, sameSchedule: true,
    configs: CONFIGS.map((name, i) => ({ name, variant: (['baseline', 'ckpt', 'osiris', 'osiris'] as const)[i]!, policy: i === 0 ? null : i === 3 ? 'enhanced' : 'pessimistic', description: `config ${name}` })),
    programs: PROGRAMS.map((name, p) => ({
      name, unit: 'lps', iterations: 100, reps: 2,
      configs: Object.fromEntries(CONFIGS.map((c, i) => [c, fig(p, i)])) as Record<BenchConfigName, ConfigFigures>,
    })),
    geomean: Object.fromEntries(CONFIGS.map((c, i) => [c, geo(i)])) as BenchResult['geomean'],
  };
}

function syntheticMemory(): MemoryResult {
  const servers = ['pm', 'vfs', 'vm', 'ds', 'rs'].map((server, i) => ({
    server, dataBytes: 10240 * (i + 1), cloneBytes: 10240 * (i + 1), undoEntries: 10 * i, undoBytes: 240 * i, undoProgram: i ? 'execl' : '',
    undoOverflowed: false, overheadBytes: 10240 * (i + 1) + 240 * i, dataKb: 10 * (i + 1), cloneKb: 10 * (i + 1), undoKb: +(0.2 * i).toFixed(1), overheadKb: 10 * (i + 1) + +(0.2 * i).toFixed(1),
  }));
  return {
    method: MEMORY_METHOD, undoEntryBytes: 24, servers,
    total: { dataKb: 150, cloneKb: 150, undoKb: 2, overheadKb: 152 },
  };
}

function syntheticDisruption(): DisruptionResult {
  const intervals: (number | null)[] = [null, 4e6, 2e6, 1e6, 5e5, 2.5e5];
  return {
    policy: 'enhanced', server: 'pm', startNs: 4e6, steps: 5, allCompleted: true,
    intervals: intervals.map((intervalNs, s) => {
      const programs = PROGRAMS.map((name, p) => ({
        name, iterations: 100, completed: true, status: 'pass', failure: null, crashes: s * (p + 1), replies: s * (p + 1), otherActions: 0,
        simNs: 1e6, overheadNs: 0, score: 100 - s * (p + 1), relative: 1 - 0.01 * s * (p + 1),
      }));
      return { intervalNs, crashes: programs.reduce((a, x) => a + x.crashes, 0), allCompleted: true, geomeanRelative: 1 - 0.025 * s, programs };
    }),
  };
}

function syntheticRcb(): RcbResult {
  const parts = ['IPC substrate', 'kernel', 'window management', 'restart', 'SEF initialization', 'recovery library'].map((part, i) => ({
    part, mechanism: `mechanism ${i}`, sloc: 100 * (i + 1), pct: +(100 * (100 * (i + 1)) / 20000).toFixed(1), pctSystem: +(100 * (100 * (i + 1)) / 15000).toFixed(1), files: [{ path: `src/x${i}.ts`, section: null, sloc: 100 * (i + 1) }],
  }));
  return {
    method: 'SLOCCount rule', root: '/x', parts, excluded: [{ path: 'src/osiris/oracle.ts', reason: 'not trusted', sloc: 50 }],
    rcb: { sloc: 2100, pct: 10.5, pctSystem: 14 }, system: { sloc: 15000, files: 90, sources: ['src/os', 'src/osiris'] }, whole: { sloc: 20000, files: 120 },
  };
}

export function syntheticInputs(): ReportInputs {
  return {
    tool: { name: 'osiris-fi', version: '0.0.0-test' },
    campaigns: [{ ok: true, value: syntheticResults() }],
    resultsRoot: '/tmp/none',
    coverage: { ok: true, value: syntheticCoverage() },
    bench: { ok: true, value: syntheticBench() },
    memory: { ok: true, value: syntheticMemory() },
    disruption: { ok: true, value: syntheticDisruption() },
    rcb: { ok: true, value: syntheticRcb() },
  };
}
