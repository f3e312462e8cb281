/*
 * The consistency oracle (DESIGN §4, beyond the paper): cross-server
 * invariants checked at a quiescent point, each finding naming the
 * invariant, the servers that disagree and the object. It tells whether a
 * recovery left the system inconsistent — something the paper could only
 * argue. It only reads state, and it runs after every campaign run, so it
 * is kept to a few linear passes over the tables.
 *
 * The entry points into this file are:
 *   checkConsistency(world)   every finding, in a fixed order
 *   Violation                 one finding
 *   INVARIANTS                the name of every invariant, by group
 */
import type { World } from '../../os/world';
import { Findings, Violation, readView } from './view';
import { checkProcesses } from './processes';
import { checkSignals } from './signals';
import { checkMemory } from './memory';
import { checkFiles } from './files';
import { checkFileSystem } from './fsck';
import { checkServices, serversAtRest } from './services';

export type { Violation };

/** Every invariant the oracle checks, by group (the self-test plants a violation of each). */
export const INVARIANTS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  processes: [
    'processes: kernel = PM', 'processes: kernel = VM', 'processes: kernel = VFS', 'process tables: slot = endpoint',
    'pid: PM = VFS', 'uid: PM = VFS', 'gid: PM = VFS', 'PM pids unique', 'PM: no process half exited', 'PM parent link',
    'PM process count', 'process groups and sessions', 'suspended in PM = waiting for PM', 'suspended in VFS = waiting for VFS',
  ],
  signals: [
    'no alarm for a dead process', 'PM kernel alarm = earliest process alarm', 'PM kernel alarm = kernel', 'RS heartbeat = kernel alarm',
    'nothing pending for a free slot', 'kernel signals reach PM', 'pending signals are blocked ones',
  ],
  memory: [
    'VM page table = kernel page table', 'frame refs = mappings', 'frame owner = mapping process', 'frames in use = frames mapped',
    'VM free-frame count', 'VM regions = page table',
  ],
  files: [
    'filp count = descriptors', 'filp names a live vnode', 'vnode refs = references', 'cwd and root are directories', 'pipe ends = open filps',
    'pipe buffers = pipes', 'suspended on an open pipe', 'one vnode per inode', 'vnode names a live inode', 'MFS inode count = VFS references',
  ],
  fsck: [
    'link count = directory entries', 'directory . and ..', 'no entry names a free inode', 'inode bitmap = reachable inodes', 'zone bitmap = blocks in use',
  ],
  services: [
    'servers at rest', 'DS key owners are alive', 'DS subscribers are alive', 'DS counts', 'RS table = kernel', 'RS table = kernel privileges',
    'RS table = running servers',
  ],
});

export function checkConsistency(world: World): Violation[] {
  const v = readView(world);
  const out = new Findings();
  const atRest = serversAtRest(v, out);
  checkProcesses(v, out, atRest);
  checkSignals(v, out);
  checkMemory(v, out);
  checkFiles(v, out);
  checkFileSystem(v.mfs, out);
  checkServices(v, out);
  return out.list;
}
