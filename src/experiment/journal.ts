/*
 * The campaign journal (issue 5): results/<campaign>-<id>/manifest.json says
 * what was run (campaign, tool version, build, faults) and runs.jsonl gets
 * one JSON line per finished run, written completely as each batch of runs
 * finishes (a failed write is undone), so a kill -9 or a full disk loses at
 * most the runs being written; it is flushed to the disk with the first batch
 * half a second after the last flush and when the journal closes, so a
 * machine failure loses at most the batches since the last flush. The manifest is written to a temporary file and
 * renamed. Both are described by zod schemas, which every reader applies: a
 * line that is not a record of this campaign is refused with its file and
 * line number, never counted. One writer at a time holds the directory's
 * lock (dir-lock.ts). Resuming repairs a torn last line and skips the runs
 * already there.
 *
 * The entry points into this file are:
 *   manifestSchema, runRecordSchema, Manifest, RunRecord   what the files hold
 *   createJournal        start a new results directory
 *   openJournal          reopen one to resume: manifest, finished runs, appender
 *   readManifest         a directory's manifest, validated
 *   readRuns             the records of a results directory (read-only), validated
 *   sameCampaign         why two manifests are not of the same campaign and build, or null
 *   JournalError         the one-line error for unusable directories
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ToolError } from '../tool-error';
import type { Detail, Outcome } from './classify';
import { appendComplete, ensureDirectory, fsError, writeFileAtomic } from './durable-file';
import { lockDirectory } from './dir-lock';

export class JournalError extends ToolError {
  constructor(message: string) { super('results', message); }
}

/** The outcome each detail belongs to (classify.ts's order of tests, as data). */
const DETAIL_OUTCOME: Record<Detail, Outcome> = {
  pass: 'pass', fail: 'fail', shutdown: 'shutdown',
  timeout: 'crash', deadlock: 'crash', panic: 'crash', crash: 'crash', 'simulator-error': 'crash', incomplete: 'crash',
};
const DETAILS = Object.keys(DETAIL_OUTCOME) as [Detail, ...Detail[]];
const OUTCOME_NAMES = ['pass', 'fail', 'shutdown', 'crash'] as const satisfies readonly Outcome[];

const count = z.number().int().nonnegative();

export const manifestSchema = z.object({
  format: z.literal(1),
  campaign: z.object({ name: z.string(), file: z.string(), identity: z.record(z.string(), z.unknown()) }).strict(),
  tool: z.object({ name: z.string(), version: z.string() }).strict(),
  /** Hash of the osiris+edfi build's blocks.json: the build runs used. */
  variantHash: z.string().min(1),
  /** Hash of the osiris+prof build the golden profile (and so the fault and test picks) came from. */
  profileHash: z.string().min(1),
  faults: z.array(z.object({ block: z.string(), faultType: z.string() }).strict()),
  modes: z.array(z.string()).min(1),
  /** Total runs of the whole campaign. */
  runs: count,
  shard: z.object({ index: z.number().int().positive(), count: z.number().int().positive() }).strict().nullable(),
  /** "<fault>|<mode>" of runs not planned: a shuffled test pick found no covering test that fits the run budget (absent: none). */
  unpicked: z.array(z.string()).optional(),
}).strict();

export const runRecordSchema = z.object({
  /** "<blockId>|<faultType>|<mode>" */
  key: z.string(),
  mode: z.string(),
  block: z.string(),
  server: z.string(),
  faultType: z.string(),
  outcome: z.enum(OUTCOME_NAMES),
  detail: z.enum(DETAILS),
  activations: count,
  recoveries: count,
  /** "server:decision->action" per recovery, in order. */
  recoveryActions: z.array(z.string()),
  oracleViolations: count,
  /** The invariants the oracle found violated (sorted, once each); absent in journals of older versions. */
  oracleInvariants: z.array(z.string()).optional(),
  failedTests: z.array(z.string()),
  programs: count,
  simTimeNs: z.number().nonnegative(),
  messages: count,
  halt: z.string().nullable(),
  error: z.string().nullable(),
  /** Wall-clock time of the run; the only field that varies between identical runs. */
  wallMs: z.number().nonnegative(),
  /** The mode this record's run was executed under, when that mode's run stood for this one: its policy would have recovered every crash alike (run-share.ts); absent: run under its own mode. */
  sharedFrom: z.string().optional(),
  /** The run continued from the snapshot taken after its mode's pre-tests instead of running them (pretest-resume.ts): the same run. */
  resumedAfterPretests: z.literal(true).optional(),
}).strict()
  .refine((r) => r.key === `${r.block}|${r.faultType}|${r.mode}`, { message: 'key is not "<block>|<faultType>|<mode>" of the record', path: ['key'] })
  .refine((r) => DETAIL_OUTCOME[r.detail] === r.outcome, { message: 'detail does not belong to the outcome', path: ['detail'] });

export type Manifest = z.infer<typeof manifestSchema>;
export type RunRecord = z.infer<typeof runRecordSchema>;

/** Fields that say how a record was obtained (its wall time, sharing, resumption), not what the run did: comparisons of runs leave them out. */
export const HOW_OBTAINED: readonly string[] = ['wallMs', 'sharedFrom', 'resumedAfterPretests'];

export const MANIFEST = 'manifest.json';
export const RUNS = 'runs.jsonl';

export interface Journal {
  dir: string;
  manifest: Manifest;
  /** Finished runs by key (the first record of a key wins). */
  done: Map<string, RunRecord>;
  append(r: RunRecord): void;
  /** Many records with one flush (merging). */
  appendAll(rs: RunRecord[]): void;
  /** Close the journal and release the directory. */
  close(): void;
}

/** The first problem zod found, as "field "x": what is wrong" (the value shown when it is short). */
function issueText(e: z.ZodError, raw?: unknown): string {
  const i = e.issues[0]!;
  const field = i.path.length ? `field "${i.path.map(String).join('.')}": ` : '';
  if (i.code === 'unrecognized_keys') return `unknown field(s) ${i.keys.map((k) => `"${k}"`).join(', ')}`;
  let v: unknown = raw;
  for (const k of i.path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  if (i.code === 'invalid_value') return `${field}${JSON.stringify(v)}; expected one of ${i.values.map(String).join(', ')}`;
  if (i.code === 'invalid_type' && v === undefined) return `${field}missing`;
  return `${field}${i.message}`;
}

/** How often at most the journal is flushed to the disk while a campaign runs (ms of wall time). */
const FLUSH_INTERVAL_MS = 500;

function appender(dir: string, manifest: Manifest, done: Map<string, RunRecord>, release: () => void): Journal {
  const file = path.join(dir, RUNS);
  let fd: number;
  try { fd = fs.openSync(file, 'a'); } catch (e) { release(); throw fsError(e, file); }
  let open = true;
  let lastFlush = 0;
  let unflushed = false;
  const write = (rs: RunRecord[]) => {
    if (!open) throw new JournalError(`${dir}: journal is closed`);
    const fresh = rs.filter((r) => !done.has(r.key));
    if (fresh.length === 0) return;
    for (const r of fresh) {
      const ok = runRecordSchema.safeParse(r);
      if (!ok.success) throw new JournalError(`run ${r.key}: not a valid record (${issueText(ok.error)}); nothing was written`);
    }
    // Every batch is written at once (a kill -9 loses nothing written); the flush to the disk,
    // a few ms each, happens at most every FLUSH_INTERVAL_MS and at close.
    const now = Date.now();
    const flush = now - lastFlush >= FLUSH_INTERVAL_MS;
    appendComplete(fd, file, fresh.map((r) => JSON.stringify(r) + '\n').join(''), flush);
    if (flush) lastFlush = now; else unflushed = true;
    for (const r of fresh) done.set(r.key, r);
  };
  return {
    dir, manifest, done,
    append(r) { write([r]); },
    appendAll(rs) { write(rs); },
    close() {
      if (!open) return;
      open = false;
      try {
        if (unflushed) { try { fs.fdatasyncSync(fd); } catch (e) { throw fsError(e, file); } }
      } finally {
        try { fs.closeSync(fd); } finally { release(); }
      }
    },
  };
}

function holdsResults(dir: string): boolean {
  return fs.existsSync(path.join(dir, MANIFEST)) || fs.existsSync(path.join(dir, RUNS));
}

/** Start a results directory (created if needed; the caller checks its path first). */
export function createJournal(dir: string, manifest: Manifest): Journal {
  const already = () => new ToolError('exists', `${dir} already holds results; resume it with --resume ${dir}, or choose another --out`);
  if (holdsResults(dir)) throw already();
  // Level by level (a recursive mkdir never returns under /proc), refusing a path under a file.
  ensureDirectory(dir, 'results directory');
  const release = lockDirectory(dir);
  try {
    // A writer that started at the same moment may have won the race for the lock and finished.
    if (holdsResults(dir)) throw already();
    const m = manifestSchema.safeParse(manifest);
    if (!m.success) throw new JournalError(`${dir}: the manifest to write is not valid (${issueText(m.error)})`);
    writeFileAtomic(path.join(dir, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
  } catch (e) { release(); throw e; }
  return appender(dir, manifest, new Map(), release);
}

export function readManifest(dir: string): Manifest {
  const p = path.join(dir, MANIFEST);
  let text: string;
  try { text = fs.readFileSync(p, 'utf8'); } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new JournalError(`${dir}: no ${MANIFEST}; not a results directory`);
    if (code === 'ENOTDIR') throw new JournalError(`${dir}: not a directory; expected a results directory`);
    throw fsError(e, p);
  }
  let raw: unknown;
  try { raw = JSON.parse(text); } catch (e) {
    throw new JournalError(`${p}: unreadable (${(e as Error).message}); the results directory is damaged`);
  }
  const format = (raw as { format?: unknown } | null)?.format;
  if (typeof format === 'number' && format !== 1) throw new JournalError(`${dir}: results format ${format} is not supported by this version (expected 1)`);
  const m = manifestSchema.safeParse(raw);
  if (!m.success) throw new JournalError(`${p}: not a manifest of this tool's format: ${issueText(m.error, raw)}`);
  return m.data;
}

/**
 * Parse runs.jsonl against the manifest. A last line without its newline
 * (or unparseable) is a torn write: with `repair` it is truncated away,
 * otherwise ignored. Any other bad line, or a record of a fault or mode the
 * manifest does not have, is refused with its line number.
 */
function parseRuns(dir: string, manifest: Manifest, repair: boolean): Map<string, RunRecord> {
  const p = path.join(dir, RUNS);
  const done = new Map<string, RunRecord>();
  let text: string;
  try { text = fs.readFileSync(p, 'utf8'); } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return done;
    throw fsError(e, p);
  }
  const faults = new Set(manifest.faults.map((f) => `${f.block}|${f.faultType}`));
  const modes = new Set(manifest.modes);
  let end = text.length;
  const lines = text.split('\n');
  if (!text.endsWith('\n')) {
    const last = lines.pop()!;
    end -= last.length;
  } else lines.pop();
  const bad = (i: number, why: string) => new JournalError(`${p}: line ${i + 1}: ${why}; the journal is damaged (remove that line, or start over with --force)`);
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === '') continue;
    let raw: unknown;
    try { raw = JSON.parse(lines[i]!); } catch {
      if (i === lines.length - 1) { end -= lines[i]!.length + 1; break; }
      throw bad(i, 'not valid JSON');
    }
    const v = runRecordSchema.safeParse(raw);
    if (!v.success) throw bad(i, `not a run record: ${issueText(v.error, raw)}`);
    const r = v.data;
    if (!modes.has(r.mode)) throw bad(i, `run ${r.key} is of mode "${r.mode}", which the manifest does not have`);
    if (!faults.has(`${r.block}|${r.faultType}`)) throw bad(i, `run ${r.key} is of a fault the manifest does not have`);
    const had = done.get(r.key);
    if (had && JSON.stringify({ ...had, wallMs: 0 }) !== JSON.stringify({ ...r, wallMs: 0 })) throw bad(i, `run ${r.key} appears twice with different results`);
    if (!had) done.set(r.key, r);
  }
  if (done.size > manifest.runs) throw new JournalError(`${p}: ${done.size} runs, but the campaign has ${manifest.runs}; the journal is damaged`);
  if (repair && end < text.length) {
    try { fs.truncateSync(p, Buffer.byteLength(text.slice(0, end))); } catch (e) { throw fsError(e, p); }
  }
  return done;
}

export function readRuns(dir: string): RunRecord[] {
  return [...parseRuns(dir, readManifest(dir), false).values()];
}

/** Reopen a results directory to continue it; holds its lock until close(). */
export function openJournal(dir: string): Journal {
  const manifest = readManifest(dir);
  const release = lockDirectory(dir);
  let done: Map<string, RunRecord>;
  try { done = parseRuns(dir, manifest, true); } catch (e) { release(); throw e; }
  return appender(dir, manifest, done, release);
}

/** Why two manifests are not of one campaign on one build, or null when they are. */
export function sameCampaign(a: Manifest, b: Manifest): string | null {
  if (a.campaign.name !== b.campaign.name) return `different campaigns (${a.campaign.name} vs ${b.campaign.name})`;
  if (JSON.stringify(a.campaign.identity) !== JSON.stringify(b.campaign.identity)) return `campaign ${a.campaign.name} was changed between them`;
  if (a.tool.version !== b.tool.version) return `different tool versions (${a.tool.version} vs ${b.tool.version})`;
  if (a.variantHash !== b.variantHash) return `different builds (${a.variantHash} vs ${b.variantHash})`;
  if (a.profileHash !== b.profileHash) return `different profiling builds (${a.profileHash} vs ${b.profileHash})`;
  if (JSON.stringify(a.faults) !== JSON.stringify(b.faults)) return 'different fault lists';
  return null;
}
