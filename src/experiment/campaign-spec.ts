/*
 * Campaign files (DESIGN §6, issue 5): which faults, under which recovery
 * modes, with which tests and budgets. Validated with a schema so a bad file
 * is reported as one line naming the file, the field and what is expected.
 *
 * The entry points into this file are:
 *   loadCampaign    read, validate and resolve a campaign file
 *   parseCampaign   validate an already-parsed object (tests, tools)
 *   CampaignError   the one-line error a bad campaign raises
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { FAULT_TYPES, FaultType } from '../edfi/fault-types';
import type { CheckingMode } from '../os/kernel/kernel';
import type { ServiceFiMode } from '../sim/sim';
import type { ProfilingMode } from './golden';
import type { LivelockMode } from './run-one';
import { PROTOTYPE_RUN_SHARE, PROTOTYPE_STDEVS } from './test-picker';
import { BUILTIN_POLICIES, POLICY_NAMES, Policy, PolicyError, resolvePolicy } from '../osiris/policies';
import { ToolError } from '../tool-error';
import { RECOVERABLE } from '../os/proto/endpoints';

export class CampaignError extends ToolError {
  constructor(message: string) { super('campaign', message); }
}

const positiveInt = (what: string) => z.number({ error: `expected ${what} (a positive integer)` }).int({ error: `expected ${what} (a positive integer)` }).positive({ error: `expected ${what} (a positive integer)` });

const faultTypeList = z.array(z.enum(FAULT_TYPES as unknown as [FaultType, ...FaultType[]], { error: `expected a fault type (${FAULT_TYPES.join(', ')})` })).min(1, { error: 'expected at least one fault type' });

const patternList = (what: string) => z.array(
  z.string({ error: `expected ${what}` }).regex(/^[A-Za-z0-9_.\/*?-]+$/, { error: `expected ${what} (letters, digits, "_", ".", "/", "-", and the wildcards "*" and "?")` }),
  { error: `expected a list of ${what}s` }).min(1, { error: `expected at least one ${what}` });

/** Optional narrowing of the fault pool (fault-select.ts); absent: every eligible fault. */
const selectSchema = z.object({
  servers: z.array(z.enum(RECOVERABLE, { error: `expected a server name (${RECOVERABLE.join(', ')})` }), { error: 'expected a list of server names' }).min(1, { error: 'expected at least one server' }).optional(),
  files: patternList('file pattern, e.g. "pm/signal.ts" or "vfs/*.ts"').optional(),
  functions: patternList('function pattern, e.g. "do_*"').optional(),
  faultTypes: faultTypeList.optional(),
}, { error: 'expected {"servers"?: [...], "files"?: [...], "functions"?: [...], "faultTypes"?: [...]}' }).strict()
  .refine((s) => Object.values(s).some((v) => v !== undefined), { error: 'expected at least one of "servers", "files", "functions", "faultTypes"' });

export const campaignSchema = z.object({
  name: z.string({ error: 'expected a name (letters, digits, "-", "_", ".")' }).regex(/^[A-Za-z0-9_.-]+$/, { error: 'expected a name of letters, digits, "-", "_", "."' }),
  description: z.string({ error: 'expected a string' }).optional(),
  seed: z.union([z.string(), z.number()], { error: 'expected a seed (a string or a number)' }).transform(String),
  faultModel: z.union([z.literal('failstop'), z.literal('edfi'), faultTypeList], { error: 'expected "failstop", "edfi" or a list of fault type names' }),
  faults: z.union([
    z.literal('all'),
    z.object({ sample: positiveInt('a sample size'), perServer: z.boolean({ error: 'expected true or false' }).default(false) }).strict(),
  ], { error: 'expected "all" or {"sample": N, "perServer"?: boolean}' }),
  modes: z.array(z.string({ error: 'expected a policy name or a policy file path' }).min(1), { error: 'expected a list of modes (built-in policy names or policy files)' })
    .min(1, { error: 'expected at least one mode' }),
  tests: z.union([
    z.literal('covering'),
    z.literal('all'),
    z.object({ select: z.literal('covering'), order: z.literal('suite-order').optional(), budgetNs: positiveInt('a budget in ns').optional() }).strict(),
    z.object({
      select: z.literal('covering'), order: z.literal('shuffled'),
      runShare: z.number({ error: 'expected a share of the full golden run (a number in (0, 1])' }).positive({ error: 'expected a share in (0, 1]' }).max(1, { error: 'expected a share in (0, 1]' }).optional(),
      stdevs: z.number({ error: 'expected a number of standard deviations (>= 0)' }).nonnegative({ error: 'expected a number of standard deviations (>= 0)' }).optional(),
    }).strict(),
  ], { error: 'expected "covering", "all", {"select": "covering", "budgetNs"?: N} or {"select": "covering", "order": "shuffled", "runShare"?: x, "stdevs"?: z}' }).default('covering'),
  pretests: z.union([z.boolean(), z.literal('stateful')], { error: 'expected true, false or "stateful" (only for modes that transfer state, as the prototype: not for stateless)' }).default(true),
  profiling: z.enum(['isolated', 'sequential'], { error: 'expected "isolated" (each test alone from the post-boot snapshot) or "sequential" (one golden run of the whole suite, as the prototype)' }).default('isolated'),
  serviceFi: z.enum(['next-request', 'prototype'], { error: 'expected "next-request" (the server crashes in its next request) or "prototype" (it crashes handling RS\'s request; no recovery decision)' }).default('next-request'),
  budget: z.object({ timeNs: positiveInt('a time budget in ns').optional(), messages: positiveInt('a message budget').optional() }).strict().default({}),
  checking: z.enum(['strict', 'minix'], { error: 'expected "strict" (every call checked) or "minix" (housekeeping calls unchecked)' }).default('strict'),
  livelock: z.enum(['detect', 'budget'], { error: 'expected "detect" (a run that makes no progress for the livelock window ends as a timeout at once) or "budget" (it runs until its message budget is spent)' }).default('detect'),
  select: selectSchema.optional(),
}).strict();

/** Which tests a run gets after the pre-tests (test-picker.ts). */
export interface TestsField {
  select: 'covering' | 'all';
  /** suite-order picking: the golden time the picked tests may take. */
  budgetNs?: number;
  /** Absent: suite-order. */
  order?: 'shuffled';
  /** shuffled: the whole-run budget as a share of the full golden run. */
  runShare?: number;
  /** shuffled: z in each estimate's mean + zσ. */
  stdevs?: number;
}

/** The `select` field as the campaign file gives it (applied by fault-select.ts). */
export interface FaultSelection {
  /** Server names (pm, vm, vfs, ds, rs). */
  servers?: string[];
  /** Patterns over the file a block id names, e.g. "pm/signal.ts", "vfs/*.ts". */
  files?: string[];
  /** Patterns over function names, e.g. "do_*". */
  functions?: string[];
  faultTypes?: string[];
}

export interface CampaignMode {
  /** The name runs are keyed and tabulated by. */
  name: string;
  /** As written in the campaign file. */
  spec: string;
  policy: Policy;
}

export interface Campaign {
  name: string;
  description?: string;
  seed: string;
  faultModel: 'failstop' | 'edfi' | FaultType[];
  faults: 'all' | { sample: number; perServer: boolean };
  modes: CampaignMode[];
  tests: TestsField;
  /** true, false, or only for modes whose policy transfers state ('stateful', the prototype's). */
  pretests: boolean | 'stateful';
  /** How the golden run profiles the tests (golden.ts). */
  profiling: ProfilingMode;
  /** How `service fi` crashes a server in the pre-tests (sim.ts). */
  serviceFi: ServiceFiMode;
  budget: { timeNs?: number; messages?: number };
  /** How test programs judge housekeeping calls (src/os/workload/test-api.ts). */
  checking: CheckingMode;
  /** How a livelocked run ends: at once, as a timeout ('detect', livelock-bound.ts), or when its message budget is spent ('budget'). */
  livelock: LivelockMode;
  /** Which servers, files, functions and fault types faults are drawn from (absent: all). */
  select?: FaultSelection;
  /** Absolute path of the campaign file ('' when parsed from an object). */
  file: string;
}

function fieldOf(p: readonly PropertyKey[]): string {
  return p.length ? p.map(String).join('.') : '(campaign)';
}

/** Validate a parsed campaign; policy files are resolved relative to `baseDir`. */
export function parseCampaign(raw: unknown, where: string, baseDir: string): Campaign {
  const r = campaignSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    let msg = issue.message;
    if (issue.code === 'unrecognized_keys') {
      msg = `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
      const narrowing = issue.path.length === 0 ? issue.keys.filter((k) => ['servers', 'files', 'functions', 'faultTypes'].includes(k)) : [];
      if (narrowing.length) msg += `; put them under "select", e.g. "select": {"${narrowing[0]}": [...]}`;
    }
    throw new CampaignError(`${where}: field "${fieldOf(issue.path)}": ${msg}`);
  }
  const d = r.data;
  const modes: CampaignMode[] = d.modes.map((spec, i) => {
    if (BUILTIN_POLICIES[spec]) return { name: spec, spec, policy: BUILTIN_POLICIES[spec] };
    if (!spec.endsWith('.json')) {
      throw new CampaignError(`${where}: field "modes.${i}": unknown policy "${spec}"; expected one of ${POLICY_NAMES.join(', ')} or a policy .json file`);
    }
    const file = path.resolve(baseDir, spec);
    if (!fs.existsSync(file)) throw new CampaignError(`${where}: field "modes.${i}": policy file ${spec} not found (paths are relative to the campaign file)`);
    try {
      const policy = resolvePolicy(file);
      return { name: policy.name, spec, policy };
    } catch (e) {
      if (e instanceof PolicyError) throw new CampaignError(`${where}: field "modes.${i}": ${e.message}`);
      throw e;
    }
  });
  const seen = new Set<string>();
  modes.forEach((m, i) => {
    if (seen.has(m.name)) throw new CampaignError(`${where}: field "modes.${i}": mode "${m.name}" appears twice; expected distinct mode names`);
    seen.add(m.name);
  });
  const tests: TestsField = typeof d.tests === 'string' ? { select: d.tests }
    : d.tests.order === 'shuffled' ? { select: 'covering', order: 'shuffled', runShare: d.tests.runShare ?? PROTOTYPE_RUN_SHARE, stdevs: d.tests.stdevs ?? PROTOTYPE_STDEVS }
    : { select: d.tests.select, budgetNs: d.tests.budgetNs };
  return {
    name: d.name, description: d.description, seed: d.seed, faultModel: d.faultModel, faults: d.faults, modes,
    tests, pretests: d.pretests, budget: d.budget, checking: d.checking, livelock: d.livelock, profiling: d.profiling, serviceFi: d.serviceFi, ...(d.select ? { select: d.select } : {}), file: '',
  };
}

export function loadCampaign(file: string): Campaign {
  const abs = path.resolve(file);
  let text: string;
  try { text = fs.readFileSync(abs, 'utf8'); } catch (e) {
    throw new CampaignError(`${file}: cannot read the campaign file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let raw: unknown;
  // Editors on some systems save UTF-8 with a byte-order mark; it is not part of the JSON.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try { raw = JSON.parse(text); } catch (e) {
    throw new CampaignError(`${file}: not valid JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  return { ...parseCampaign(raw, file, path.dirname(abs)), file: abs };
}

/** The campaign's identity for manifests: everything that changes results, policies inlined, no paths. */
export function campaignIdentity(c: Campaign): Record<string, unknown> {
  return {
    name: c.name, seed: c.seed, faultModel: c.faultModel, faults: c.faults,
    modes: c.modes.map((m) => ({ name: m.name, policy: m.policy })), tests: c.tests, pretests: c.pretests, budget: c.budget,
    // Absent under 'strict', so campaigns written before the field keep their identity.
    ...(c.checking === 'minix' ? { checking: c.checking } : {}),
    ...(c.profiling === 'sequential' ? { profiling: c.profiling } : {}),
    ...(c.serviceFi === 'prototype' ? { serviceFi: c.serviceFi } : {}),
    // Absent under 'detect' (the default): campaigns keep their identity and results directory.
    ...(c.livelock === 'budget' ? { livelock: c.livelock } : {}),
    // Only when given, so campaigns without a selection keep the identity (and results directory) they had.
    ...(c.select ? { select: c.select } : {}),
  };
}
