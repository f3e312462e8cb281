/*
 * What the oracle reads: the kernel's process table and each server's data
 * section, typed as far as the invariants need, and the one record a
 * finding is reported as. The oracle only reads; it never calls server
 * code (server code may panic on the very inconsistencies it looks for).
 *
 * The entry points into this file are:
 *   Violation          one finding: the invariant, the servers, the object, what disagrees
 *   Findings           collects findings (one invariant group adds to it)
 *   readView(world)    the state of a world as the invariants read it
 *   View               that state
 */
import type { World } from '../../os/world';
import type { Proc } from '../../os/kernel/proc';
import { DS, MFS, PM, RS, VFS, VM } from '../../os/proto/endpoints';
import type { PmState } from '../../os/servers/pm/state';
import type { VmState } from '../../os/servers/vm/state';
import type { VfsState } from '../../os/servers/vfs/state';
import type { MfsState } from '../../os/servers/mfs/state';
import type { DsState } from '../../os/servers/ds/state';
import type { RsState } from '../../os/servers/rs/state';

export interface Violation {
  /** The invariant's name, e.g. "uid: PM = VFS" (stable: the self-test and reports key on it). */
  invariant: string;
  /** The parties that disagree: server labels, and "kernel". */
  servers: string[];
  /** The object the finding is about, e.g. "process 2055 (pid 12)", "inode 40". */
  object: string;
  /** What each party holds. */
  detail: string;
}

export class Findings {
  readonly list: Violation[] = [];
  add(invariant: string, servers: string[], object: string, detail: string): void {
    this.list.push({ invariant, servers, object, detail });
  }
}

export interface View {
  world: World;
  procs: readonly Proc[];
  pm: PmState;
  vm: VmState;
  vfs: VfsState;
  mfs: MfsState;
  ds: DsState;
  rs: RsState;
}

export function readView(world: World): View {
  const st = <T>(slot: number): T => {
    const inst = world.servers.get(slot);
    if (!inst) throw new Error(`no server in slot ${slot}`);
    return inst.ctx.st as T;
  };
  return {
    world, procs: world.kernel.procs,
    pm: st<PmState>(PM), vm: st<VmState>(VM), vfs: st<VfsState>(VFS), mfs: st<MfsState>(MFS), ds: st<DsState>(DS), rs: st<RsState>(RS),
  };
}

/** A list of numbers for a detail line, cut after `max`. */
export function listOf(xs: readonly number[], max = 16): string {
  return `[${xs.slice(0, max).join(',')}${xs.length > max ? ',…' : ''}]`;
}
