/*
 * Memory overhead (the paper's Table VI), per recoverable server, measured
 * on the real structures of the osiris build under the enhanced policy:
 *
 *   data section  v8.serialize(ctx.st).length — the server's whole state
 *                 in V8's structured-clone wire format (typed arrays as
 *                 their bytes), at the post-boot quiescent point
 *   spare clone   the same measure of the spare data section recovery
 *                 prepared for the server (RecoveryManager.prepareSpares)
 *   undo log      the largest number of entries the server's undo log held
 *                 during any one of the twelve Unixbench-like programs
 *                 (UndoLog.highWater, each program from the post-boot
 *                 snapshot) × the bytes of one entry (UndoLog.bytes: three
 *                 parallel arrays of 8-byte slots — object, key, old value;
 *                 the logged objects themselves are the data section's)
 *   overhead      spare clone + undo log
 *
 * The entry points into this file are:
 *   runMemory   the measurement (a plain JSON-able result)
 *   memoryCsv   the result as CSV columns and rows
 *
 * Result shape (MemoryResult):
 *   { method: { dataSection, clone, undoLog }, undoEntryBytes,
 *     servers: [{ server, dataBytes, cloneBytes, undoEntries, undoBytes, undoProgram, undoOverflowed, overheadBytes,
 *                 dataKb, cloneKb, undoKb, overheadKb }],       // pm, vfs, vm, ds, rs
 *     total: { dataKb, cloneKb, undoKb, overheadKb } }
 * kB = 1024 bytes, rounded to one decimal.
 */
import v8 from 'node:v8';
import { Sim } from '../sim/sim';
import { BUILTIN_POLICIES } from '../osiris/policies';
import { UndoLog } from '../osiris/undo-log';
import { BENCH_PROGRAMS } from '../os/workload/unixbench/index';
import { DS, PM, RS, VFS, VM } from '../os/proto/endpoints';

/** Table VI's servers, in the paper's order. */
const SERVERS: readonly [string, number][] = [['pm', PM], ['vfs', VFS], ['vm', VM], ['ds', DS], ['rs', RS]];

export const MEMORY_METHOD = {
  dataSection: 'v8.serialize(ctx.st).length at the post-boot quiescent point (osiris build, enhanced policy)',
  clone: "v8.serialize of the spare data section RecoveryManager.prepareSpares holds for the server",
  undoLog: 'largest UndoLog.highWater over the 12 Unixbench-like programs (each from the post-boot snapshot) x UndoLog.bytes per entry (3 x 8-byte slots)',
} as const;

export interface ServerMemory {
  server: string;
  dataBytes: number;
  cloneBytes: number;
  undoEntries: number;
  undoBytes: number;
  /** The program during which the log was largest ('' when it stayed empty). */
  undoProgram: string;
  undoOverflowed: boolean;
  overheadBytes: number;
  dataKb: number;
  cloneKb: number;
  undoKb: number;
  overheadKb: number;
}

export interface MemoryResult {
  method: typeof MEMORY_METHOD;
  undoEntryBytes: number;
  servers: ServerMemory[];
  total: { dataKb: number; cloneKb: number; undoKb: number; overheadKb: number };
}

function kb(bytes: number): number {
  return Math.round((10 * bytes) / 1024) / 10;
}

export function runMemory(programs: string[] = BENCH_PROGRAMS.map((b) => b.name)): MemoryResult {
  const cfg = { variant: 'osiris', policy: BUILTIN_POLICIES.enhanced } as const;
  const booted = Sim.boot(cfg);
  const snap = booted.snapshot();
  const high = SERVERS.map(() => ({ entries: 0, program: '', overflowed: false }));
  for (const name of programs) {
    const sim = Sim.restore(snap, cfg);
    const r = sim.run([name])[0]!;
    if (r.status !== 'pass') throw new Error(`memory: ${name} did not pass (${r.failure})`);
    SERVERS.forEach(([, slot], i) => {
      const log = sim.undoLog(slot);
      if (!log) return;
      if (log.highWater > high[i]!.entries) high[i] = { entries: log.highWater, program: name, overflowed: high[i]!.overflowed };
      if (log.overflowed || log.highWater >= log.limit) high[i]!.overflowed = true;
    });
  }
  const entryBytes = new UndoLog().bytes(1);
  const servers: ServerMemory[] = SERVERS.map(([server, slot], i) => {
    const dataBytes = v8.serialize(booted.dataSection(slot)).length;
    // The spare is recovery's own object (no copy is measured).
    const spare = booted.spareState(slot);
    const cloneBytes = spare === undefined ? 0 : v8.serialize(spare).length;
    const h = high[i]!;
    const undoBytes = h.entries * entryBytes;
    const overheadBytes = cloneBytes + undoBytes;
    return {
      server, dataBytes, cloneBytes, undoEntries: h.entries, undoBytes, undoProgram: h.program,
      undoOverflowed: h.overflowed, overheadBytes,
      dataKb: kb(dataBytes), cloneKb: kb(cloneBytes), undoKb: kb(undoBytes), overheadKb: kb(overheadBytes),
    };
  });
  const sum = (f: (s: ServerMemory) => number) => servers.reduce((a, s) => a + f(s), 0);
  return {
    method: MEMORY_METHOD,
    undoEntryBytes: entryBytes,
    servers,
    total: {
      dataKb: kb(sum((s) => s.dataBytes)), cloneKb: kb(sum((s) => s.cloneBytes)),
      undoKb: kb(sum((s) => s.undoBytes)), overheadKb: kb(sum((s) => s.overheadBytes)),
    },
  };
}

export function memoryCsv(r: MemoryResult): { columns: string[]; rows: (string | number)[][] } {
  const rows: (string | number)[][] = r.servers.map((s) => [s.server, s.dataBytes, s.cloneBytes, s.undoEntries, s.undoBytes, s.overheadBytes, s.undoProgram]);
  rows.push(['total', ...(['dataBytes', 'cloneBytes', 'undoEntries', 'undoBytes', 'overheadBytes'] as const).map((k) => r.servers.reduce((a, s) => a + s[k], 0)), '']);
  return { columns: ['server', 'data_bytes', 'clone_bytes', 'undo_entries', 'undo_bytes', 'overhead_bytes', 'undo_program'], rows };
}
