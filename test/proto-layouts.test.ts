/*
 * The message layouts against the protocol and the call tables, at run
 * time: what the compiler enforces through CallTable and entry(), derived
 * here from the data, so that a layout given twice (in two of the groups
 * LAYOUTS merges, where the later one silently wins), a message type
 * without a layout, or a table entry filed under a type whose layout it
 * does not take fails a test by name.
 *
 *   - every message type of the protocol (MESSAGE_TYPES) has exactly one
 *     layout, in exactly one group, and LAYOUTS is the union of the groups;
 *   - every layout is well formed (request and reply fields, each 'n', 's',
 *     'n?' or 's?', none named type or source);
 *   - every entry of every server's call table, in the plain build and in
 *     each instrumented variant, is keyed by its own type, and that type has
 *     its layout in the group of the server that handles it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMON_REQ_FI_CTL, MESSAGE_TYPES, NOTIFY_MESSAGE, messageName } from '../src/os/proto/calls';
import { LAYOUTS, NOTIFY_LAYOUTS, Layout } from '../src/os/proto/messages';
import { PM_LAYOUTS } from '../src/os/proto/layouts-pm';
import { VFS_LAYOUTS } from '../src/os/proto/layouts-vfs';
import { MFS_LAYOUTS } from '../src/os/proto/layouts-mfs';
import { DS_LAYOUTS, RS_LAYOUTS, VM_LAYOUTS } from '../src/os/proto/layouts-other';
import { BOOT_IMAGE } from '../src/os/servers/index';
import type { ServerDef } from '../src/os/sef/server';
import { VARIANTS, loadVariant } from '../src/sim/variants';

type Group = Readonly<Record<number, Layout>>;

/** The groups LAYOUTS merges, by the server that receives their messages (the notification: every server, through SEF). */
const GROUPS: Readonly<Record<string, Group>> = {
  notify: NOTIFY_LAYOUTS, pm: PM_LAYOUTS, vfs: VFS_LAYOUTS, mfs: MFS_LAYOUTS, vm: VM_LAYOUTS, ds: DS_LAYOUTS, rs: RS_LAYOUTS,
};

/**
 * Protocol message types without a layout, and why: RS's `service fi` request
 * is sent bare (asynsend of `{ type }`) and taken by the SEF loop before any
 * call table (sef/loop.ts isServiceFi), so no handler receives it.
 */
const NO_LAYOUT: Readonly<Record<string, string>> = {
  COMMON_REQ_FI_CTL: 'caught by the SEF loop before the call table; carries no fields',
};

const FIELD_TAGS: readonly string[] = ['n', 's', 'n?', 's?'];

const typesOf = (o: object): number[] => Object.keys(o).map(Number);
const hex = (t: number): string => `${messageName(t)} (0x${t.toString(16)})`;

/** The groups holding a layout for `type`, by name. */
function groupsOf(type: number): string[] {
  return Object.entries(GROUPS).filter(([, g]) => Object.hasOwn(g, type)).map(([name]) => name);
}

test('every message type of the protocol has exactly one layout, in one group', () => {
  const names = Object.keys(MESSAGE_TYPES);
  assert.ok(names.length > 100, `the protocol enumerates ${names.length} message types`);
  const problems: string[] = [];
  for (const n of names) {
    const t = MESSAGE_TYPES[n];
    assert.ok(t !== undefined);
    const where = groupsOf(t);
    if (n in NO_LAYOUT) {
      if (where.length > 0) problems.push(`${n}: listed as having no layout, but has one in ${where.join(', ')}`);
    } else if (where.length !== 1) {
      problems.push(`${n}: ${where.length === 0 ? 'no layout' : `a layout in each of ${where.join(', ')}`}`);
    }
  }
  for (const n of Object.keys(NO_LAYOUT)) if (!(n in MESSAGE_TYPES)) problems.push(`${n}: listed as having no layout, but is not a message type`);
  assert.deepEqual(problems, []);
  // Two names for one number would be two messages sharing one layout.
  const byValue = new Map<number, string[]>();
  for (const [n, t] of Object.entries(MESSAGE_TYPES)) byValue.set(t, [...(byValue.get(t) ?? []), n]);
  assert.deepEqual([...byValue.values()].filter((ns) => ns.length > 1), [], 'one name per message type');
  assert.equal(MESSAGE_TYPES.COMMON_REQ_FI_CTL, COMMON_REQ_FI_CTL);
});

test('LAYOUTS is exactly the union of the groups, each type taking its group\'s layout', () => {
  const inGroups = Object.values(GROUPS).flatMap(typesOf);
  assert.equal(new Set(inGroups).size, inGroups.length, 'no type in two groups');
  assert.deepEqual(typesOf(LAYOUTS).sort((a, b) => a - b), [...inGroups].sort((a, b) => a - b), 'LAYOUTS merges every group and nothing else');
  const protocol = new Set(Object.values(MESSAGE_TYPES));
  for (const [name, g] of Object.entries(GROUPS)) {
    for (const t of typesOf(g)) {
      assert.ok(protocol.has(t), `${name}: a layout for 0x${t.toString(16)}, which is not a message type of the protocol`);
      assert.equal((LAYOUTS as Group)[t], g[t], `${hex(t)}: LAYOUTS holds the layout of group ${name}`);
    }
  }
  assert.deepEqual(groupsOf(NOTIFY_MESSAGE), ['notify']);
});

test('every layout names request and reply fields with a field type, none of them type or source', () => {
  const problems: string[] = [];
  for (const t of typesOf(LAYOUTS)) {
    const l = (LAYOUTS as Group)[t];
    assert.ok(l);
    for (const side of ['req', 'reply'] as const) {
      const fields = l[side] as unknown;
      if (typeof fields !== 'object' || fields === null) { problems.push(`${hex(t)}: no ${side} fields object`); continue; }
      for (const [f, tag] of Object.entries(fields)) {
        if (f === 'type' || f === 'source') problems.push(`${hex(t)}.${side}.${f}: the kernel's own field`);
        if (!FIELD_TAGS.includes(tag as string)) problems.push(`${hex(t)}.${side}.${f}: field type ${JSON.stringify(tag)}`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

/** Why the entries of one server's call table do not match the layouts (empty when they do). */
function tableProblems(def: ServerDef<unknown>, where: string): string[] {
  const own = GROUPS[def.name];
  if (!own) return [`${where}: server ${def.name} has no layout group`];
  const problems: string[] = [];
  for (const key of Object.keys(def.table)) {
    const t = Number(key);
    const e = def.table[t];
    if (!e) { problems.push(`${where}: key ${key} holds no entry`); continue; }
    if (e.type !== t) problems.push(`${where}: ${e.name} is filed under ${hex(t)} but handles ${hex(e.type)}`);
    const groups = groupsOf(e.type);
    if (groups.length !== 1) problems.push(`${where}: ${e.name} handles ${hex(e.type)}, which has ${groups.length} layouts`);
    else if (groups[0] !== def.name) problems.push(`${where}: ${e.name} handles ${hex(e.type)}, whose layout is ${groups[0]}'s`);
    if (typeof e.handler !== 'function') problems.push(`${where}: ${e.name} has no handler`);
  }
  return problems;
}

test('every call-table entry is keyed by its own type, whose layout is in its server\'s group', () => {
  assert.deepEqual(BOOT_IMAGE.map((e) => e.name).filter((n) => !GROUPS[n]), [], 'every server has a layout group');
  const problems = BOOT_IMAGE.flatMap((e) => tableProblems(e.def, e.name));
  assert.deepEqual(problems, []);
  const dispatched = BOOT_IMAGE.reduce((n, e) => n + Object.keys(e.def.table).length, 0);
  assert.ok(dispatched > 100, `the tables dispatch on ${dispatched} types`);
});

test('each built variant dispatches on the same types, with the same entries, as the plain build', () => {
  const plain = BOOT_IMAGE.map((e) => [e.name, Object.entries(e.def.table).map(([k, x]) => `${k}:${x?.type}:${x?.name}`)]);
  for (const v of VARIANTS) {
    const defs = loadVariant(v);
    assert.deepEqual(defs.flatMap((d) => tableProblems(d, `${v}/${d.name}`)), [], v);
    assert.deepEqual(defs.map((d) => [d.name, Object.entries(d.table).map(([k, x]) => `${k}:${x?.type}:${x?.name}`)]), plain, v);
  }
});

test('the layouts no call table dispatches on are the notification and the calls left unimplemented (ENOSYS)', () => {
  const dispatched = new Set(BOOT_IMAGE.flatMap((e) => typesOf(e.def.table)));
  const idle = typesOf(LAYOUTS).filter((t) => !dispatched.has(t)).map((t) => messageName(t)).sort();
  assert.deepEqual(idle, ['NOTIFY_MESSAGE', 'PM_GETGROUPS', 'PM_SETGROUPS', 'REQ_INHIBREAD']);
});
