/*
 * Invariants about memory: VM's page tables are the kernel's; a frame is
 * in use exactly when one page of one process maps it, and VM names that
 * process as its owner; VM's free count is a recount; each address space's
 * regions are backed page for page and nothing is mapped outside them.
 *
 * The entry points into this file are:
 *   checkMemory(v, out)   add the findings of this group
 */
import { F_FREE } from '../../os/kernel/proc';
import { NR_SLOTS } from '../../os/proto/endpoints';
import { HEAP_PAGE, NR_FRAMES, VPAGES } from '../../os/proto/vm';
import { NO_FRAME, NO_OWNER, NR_REGIONS } from '../../os/servers/vm/state';
import { Findings, View, listOf } from './view';
import { procName } from './processes';

/** VM's page -> frame table of each live process equals the kernel's page table. */
function pageTables(v: View, out: Findings): void {
  for (let s = 0; s < NR_SLOTS; s++) {
    const p = v.procs[s]!;
    const vp = v.vm.vmproc[s]!;
    if (p.flags & F_FREE || p.kind !== 'user' || !vp.inUse || vp.endpoint !== p.endpoint) continue;
    const differ: number[] = [];
    for (let pg = 0; pg < VPAGES; pg++) if (vp.pageFrame[pg] !== p.pt[pg]) differ.push(pg);
    if (differ.length) {
      const pg = differ[0]!;
      out.add('VM page table = kernel page table', ['vm', 'kernel'], procName(v, s),
        `pages ${listOf(differ)} differ (page ${pg}: VM frame ${vp.pageFrame[pg]}, kernel frame ${p.pt[pg]})`);
    }
  }
}

/** Frames: refs = the kernel's mappings of it, owner = the mapping process, free count = recount. */
function frames(v: View, out: Findings): void {
  const maps = new Int32Array(NR_FRAMES);
  const mapper = new Int32Array(NR_FRAMES).fill(-1);
  for (let s = 0; s < NR_SLOTS; s++) {
    const pt = v.procs[s]!.pt;
    for (let pg = 0; pg < pt.length; pg++) {
      const f = pt[pg]!;
      if (f < 0) continue;
      if (f >= NR_FRAMES) { out.add('frame refs = mappings', ['kernel'], `slot ${s}`, `page ${pg} maps frame ${f}, past the last frame`); continue; }
      maps[f]!++;
      if (mapper[f]! < 0) mapper[f] = s;
    }
  }
  const leaked: number[] = [];
  const freed: number[] = [];
  let free = 0;
  for (let f = 0; f < NR_FRAMES; f++) {
    const fr = v.vm.frames[f]!;
    if (fr.refs === 0) free++;
    if (fr.refs > 0 && maps[f] === 0) { leaked.push(f); continue; }
    if (fr.refs === 0 && maps[f]! > 0) { freed.push(f); continue; }
    if (fr.refs !== maps[f]) out.add('frame refs = mappings', ['vm', 'kernel'], `frame ${f}`, `refs ${fr.refs}, mapped ${maps[f]} times`);
    if (fr.refs > 0 && fr.owner !== mapper[f]) {
      out.add('frame owner = mapping process', ['vm', 'kernel'], `frame ${f}`, `VM says slot ${fr.owner} owns it, the kernel maps it in slot ${mapper[f]}`);
    }
    if (fr.refs === 0 && fr.owner !== NO_OWNER) out.add('frame owner = mapping process', ['vm'], `frame ${f}`, `free, but owned by slot ${fr.owner}`);
  }
  if (leaked.length) out.add('frames in use = frames mapped', ['vm', 'kernel'], `frames ${listOf(leaked)}`, `frames in use but mapped nowhere: ${listOf(leaked)}`);
  if (freed.length) out.add('frames in use = frames mapped', ['vm', 'kernel'], `frames ${listOf(freed)}`, `frames mapped but free in VM: ${listOf(freed)}`);
  if (v.vm.freeFrames !== free) out.add('VM free-frame count', ['vm'], 'frame table', `freeFrames ${v.vm.freeFrames}, actually free ${free}`);
}

/** Each address space: regions do not overlap, every region page is backed, no page outside a region is, the heap ends at the break. */
function regions(v: View, out: Findings): void {
  for (let s = 0; s < NR_SLOTS; s++) {
    const vp = v.vm.vmproc[s]!;
    if (!vp.inUse) continue;
    const covered = new Uint8Array(VPAGES);
    const bad: string[] = [];
    let heapEnd = -1;
    for (let i = 0; i < NR_REGIONS; i++) {
      const r = vp.regions[i]!;
      if (!r.inUse) continue;
      if (r.startPage < 1 || r.pages < 0 || r.startPage + r.pages > VPAGES) { bad.push(`region ${i} spans ${r.startPage}+${r.pages}`); continue; }
      if (r.kind === 'heap') heapEnd = r.startPage === HEAP_PAGE ? r.startPage + r.pages : -2;
      for (let pg = r.startPage; pg < r.startPage + r.pages; pg++) {
        if (covered[pg]) bad.push(`page ${pg} in two regions`);
        covered[pg] = 1;
        if (vp.pageFrame[pg] === NO_FRAME) bad.push(`page ${pg} of ${r.kind} region ${i} not backed`);
      }
    }
    for (let pg = 0; pg < VPAGES; pg++) if (!covered[pg] && vp.pageFrame[pg] !== NO_FRAME) bad.push(`page ${pg} mapped outside any region`);
    if (heapEnd !== vp.brkPage) bad.push(heapEnd === -1 ? 'no heap region' : `heap ends at ${heapEnd}, break at ${vp.brkPage}`);
    if (bad.length) out.add('VM regions = page table', ['vm'], procName(v, s), bad.slice(0, 4).join('; ') + (bad.length > 4 ? '; …' : ''));
  }
}

export function checkMemory(v: View, out: Findings): void {
  pageTables(v, out);
  frames(v, out);
  regions(v, out);
}
