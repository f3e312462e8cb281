/*
 * The boot image (src/os/servers/index.ts) is the one list of the servers,
 * their boot order and which are recoverable: the booted system, RS's
 * service table, the privilege table and every instrumented variant must
 * agree with it, as must the copies not yet derived from it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BOOT_IMAGE, BOOT_ORDER, BOOT_SERVERS, RECOVERABLE_NAMES, RECOVERABLE_SLOTS } from '../src/os/servers/index';
import { RECOVERABLE, SERVER_NAMES } from '../src/os/proto/endpoints';
import { SERVICE_CALL_MASKS, SERVICE_LABELS, ServiceLabel } from '../src/os/proto/privileges';
import { RECOVERABLE_SLOTS as CHECKPOINTED_SLOTS } from '../src/osiris/checkpoint';
import { RsState } from '../src/os/servers/rs/state';
import { VARIANTS } from '../src/osiris/build-variants';
import { loadVariant } from '../src/sim/variants';
import { Sim } from '../src/sim/sim';
import { RS } from '../src/os/proto/endpoints';

test('the boot image: names, slots and privileges agree with the protocol', () => {
  assert.deepEqual([...BOOT_ORDER], ['pm', 'vfs', 'rs', 'ds', 'vm', 'mfs']);
  assert.deepEqual([...BOOT_ORDER], [...SERVICE_LABELS]);
  for (const e of BOOT_IMAGE) {
    assert.equal(SERVER_NAMES[e.slot], e.name, `${e.name} in slot ${e.slot}`);
    assert.equal(e.def.callMask, SERVICE_CALL_MASKS[e.name as ServiceLabel], `${e.name}'s kernel calls`);
  }
  assert.deepEqual(BOOT_SERVERS.map((d) => d.name), [...BOOT_ORDER]);
  assert.deepEqual([...RECOVERABLE_NAMES], ['pm', 'vfs', 'rs', 'ds', 'vm']);
});

test('the copies not yet derived from the boot image name the same recoverable servers', () => {
  assert.deepEqual([...RECOVERABLE].sort(), [...RECOVERABLE_NAMES].sort());
  assert.deepEqual([...CHECKPOINTED_SLOTS], [...RECOVERABLE_SLOTS]);
});

test('the booted system runs the boot image in its slots, and RS lists it in boot order', () => {
  const w = Sim.boot().world;
  for (const e of BOOT_IMAGE) {
    assert.equal(w.servers.get(e.slot)?.def.name, e.name);
    assert.equal(w.kernel.procs[e.slot]?.name, e.name);
  }
  const rs = w.servers.get(RS)!.ctx.st as RsState;
  assert.deepEqual(rs.services.filter((s) => s.inUse).map((s) => s.label), [...BOOT_ORDER]);
});

test('every instrumented variant boots the same servers in the same order', () => {
  for (const v of VARIANTS) assert.deepEqual(loadVariant(v).map((d) => d.name), [...BOOT_ORDER], v);
});
