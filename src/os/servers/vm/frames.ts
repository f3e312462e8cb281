/*
 * Physical frames: VM's allocator over the fixed frame table. Callers check
 * that enough frames are free before they change anything, so running out
 * here means the free counter lies: a broken invariant, not a caller error.
 *
 * The entry points into this file are:
 *   allocFrames(st, n, owner)      take n free frames for the process in slot `owner`
 *   freeFrames(st, list, owner)    give back frames the process in slot `owner` held
 *   auditFrames(st)                recount the table against the free counter
 */
import { panic } from '../../kernel/errors';
import { NR_FRAMES } from '../../proto/vm';
import { NO_OWNER, VmState } from './state';

/** Lowest-numbered free frames first, so a run's frame choice is a pure function of its history. */
export function allocFrames(st: VmState, n: number, owner: number): number[] {
  if (n < 0) panic('vm', `allocFrames: negative count ${n}`);
  if (n > st.freeFrames) panic('vm', `allocFrames: ${n} frames wanted, ${st.freeFrames} free (caller did not check)`);
  const got: number[] = [];
  for (let f = 0; f < NR_FRAMES && got.length < n; f++) {
    const fr = st.frames[f]!;
    if (fr.refs !== 0) continue;
    if (fr.owner !== NO_OWNER) panic('vm', `free frame ${f} has owner ${fr.owner}`);
    fr.refs = 1;
    fr.owner = owner;
    st.freeFrames -= 1;
    got.push(f);
  }
  if (got.length < n) panic('vm', `allocFrames: free counter says ${n} available, found ${got.length}`);
  return got;
}

export function freeFrames(st: VmState, list: number[], owner: number): void {
  for (const f of list) {
    if (!Number.isInteger(f) || f < 0 || f >= NR_FRAMES) panic('vm', `freeFrames: bad frame ${f}`);
    const fr = st.frames[f]!;
    if (fr.refs <= 0) panic('vm', `freeFrames: frame ${f} is already free`);
    if (fr.owner !== owner) panic('vm', `freeFrames: frame ${f} belongs to slot ${fr.owner}, not ${owner}`);
    fr.refs -= 1;
    if (fr.refs === 0) {
      fr.owner = NO_OWNER;
      st.freeFrames += 1;
    }
  }
}

/**
 * Every used frame must belong to a live address space, and the free counter must match a recount.
 * @sanitycheck a scan of the whole frame table (MINIX: SANITYCHECK, compiled out with SANITYCHECKS 0)
 */
export function auditFrames(st: VmState): void {
  let free = 0;
  for (let f = 0; f < NR_FRAMES; f++) {
    const fr = st.frames[f]!;
    if (fr.refs === 0) {
      if (fr.owner !== NO_OWNER) panic('vm', `free frame ${f} has owner ${fr.owner}`);
      free++;
      continue;
    }
    if (fr.refs < 0) panic('vm', `frame ${f} has negative refs ${fr.refs}`);
    if (fr.owner === NO_OWNER) panic('vm', `frame ${f} in use without an owner`);
    const vp = st.vmproc[fr.owner];
    if (!vp || !vp.inUse) panic('vm', `frame ${f} owned by dead slot ${fr.owner}`);
  }
  if (free !== st.freeFrames) panic('vm', `free frame counter ${st.freeFrames} disagrees with recount ${free}`);
}
