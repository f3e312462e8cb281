/*
 * The boot image: every server of the system, in the order the world
 * starts them (slot order), and which of them are recoverable — the fault
 * targets of every campaign, the servers OSIRIS checkpoints and restarts
 * (MFS is simulated but neither). This list is the one place that says so;
 * everything else that needs the boot order or the recoverable servers
 * derives it from here.
 *
 * The entry points into this file are:
 *   BOOT_IMAGE            every server's definition, name, slot and whether it is recoverable
 *   BOOT_SERVERS          the server definitions, in boot order (what the world boots)
 *   BOOT_ORDER            the servers' names, in boot order (the instrumentation build's boot image)
 *   RECOVERABLE_SERVERS   the recoverable servers' names and slots, in boot order
 *   RECOVERABLE_NAMES     their names
 *   RECOVERABLE_SLOTS     their slots (the undo logs, windows and spare clones of OSIRIS)
 */
import { ServerDef } from '../sef/server';
import { pmServer } from './pm/main';
import { vfsServer } from './vfs/main';
import { rsServer } from './rs/main';
import { dsServer } from './ds/main';
import { vmServer } from './vm/main';
import { mfsServer } from './mfs/main';

export interface BootEntry {
  readonly name: string;
  readonly slot: number;
  readonly def: ServerDef<any>;
  readonly recoverable: boolean;
}

function image(def: ServerDef<any>, recoverable: boolean): BootEntry {
  return Object.freeze({ name: def.name, slot: def.slot, def, recoverable });
}

export const BOOT_IMAGE: readonly BootEntry[] = Object.freeze([
  image(pmServer, true),
  image(vfsServer, true),
  image(rsServer, true),
  image(dsServer, true),
  image(vmServer, true),
  image(mfsServer, false),
]);

export const BOOT_SERVERS: ServerDef<any>[] = BOOT_IMAGE.map((e) => e.def);

export const BOOT_ORDER: readonly string[] = Object.freeze(BOOT_IMAGE.map((e) => e.name));

export const RECOVERABLE_SERVERS: readonly Readonly<{ name: string; slot: number }>[] = Object.freeze(
  BOOT_IMAGE.filter((e) => e.recoverable).map((e) => Object.freeze({ name: e.name, slot: e.slot })),
);

export const RECOVERABLE_NAMES: readonly string[] = Object.freeze(RECOVERABLE_SERVERS.map((e) => e.name));

export const RECOVERABLE_SLOTS: readonly number[] = Object.freeze(RECOVERABLE_SERVERS.map((e) => e.slot));
