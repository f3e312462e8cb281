/*
 * The consistency oracle (DESIGN §4, beyond the paper): cross-server
 * invariants checked at a quiescent point, each violation reported with
 * the objects involved. It tells whether a recovery left the system
 * inconsistent — something the paper could only argue.
 */
import type { World } from '../os/world';
import { DS, MFS, PM, RS, VFS, VM, INIT } from '../os/proto/endpoints';
import { F_FREE } from '../os/kernel/proc';

export interface Violation { invariant: string; detail: string }

/* The data sections as the oracle reads them (only the fields it needs). */
interface PmView { mproc: { flags: number; endpoint: number; pid: number }[] }
interface VmView { frames: { refs: number }[]; freeFrames: number; vmproc: { inUse: boolean; endpoint: number }[] }
interface VfsView {
  fproc: { inUse: boolean; endpoint: number; fd: number[]; cwd: number; root: number }[];
  filp: { count: number; vnode: number }[];
  vnode: { refs: number; fsRefs: number; ino: number }[];
}
interface DsView { subs: { inUse: boolean; owner: number; pattern: string }[] }
interface RsView { services: { inUse: boolean; label: string; endpoint: number; callMask: number }[] }
interface MfsView { inodes: { count: number }[] }

const PM_IN_USE = 0x1;
const PM_ZOMBIE = 0x4;

function setDiff(a: Set<number>, b: Set<number>): number[] {
  return [...a].filter((x) => !b.has(x)).sort((x, y) => x - y);
}

export function checkConsistency(world: World): Violation[] {
  const out: Violation[] = [];
  const k = world.kernel;
  const st = <T>(slot: number) => world.servers.get(slot)!.ctx.st as T;
  const pm = st<PmView>(PM), vm = st<VmView>(VM), vfs = st<VfsView>(VFS), ds = st<DsView>(DS), rs = st<RsView>(RS), mfs = st<MfsView>(MFS);

  // 1. The same user processes in the kernel, PM, VM and VFS.
  const kernelProcs = new Set(k.procs.filter((p) => !(p.flags & F_FREE) && p.kind === 'user').map((p) => p.endpoint));
  const views: [string, Set<number>][] = [
    ['PM', new Set(pm.mproc.filter((m) => m.flags & PM_IN_USE && !(m.flags & PM_ZOMBIE)).map((m) => m.endpoint))],
    ['VM', new Set(vm.vmproc.filter((v) => v.inUse).map((v) => v.endpoint))],
    ['VFS', new Set(vfs.fproc.filter((f) => f.inUse).map((f) => f.endpoint))],
  ];
  for (const [name, set] of views) {
    const missing = setDiff(kernelProcs, set);
    const extra = setDiff(set, kernelProcs);
    if (missing.length || extra.length) {
      out.push({ invariant: `processes: kernel = ${name}`, detail: `${name} lacks ${JSON.stringify(missing)}, has extra ${JSON.stringify(extra)}` });
    }
  }

  // 2. Open-file and vnode reference counts equal their references.
  const filpRefs = new Array<number>(vfs.filp.length).fill(0);
  const vnodeRefs = new Array<number>(vfs.vnode.length).fill(0);
  for (const f of vfs.fproc) {
    if (!f.inUse) continue;
    for (const fi of f.fd) if (fi >= 0) filpRefs[fi]++;
    if (f.cwd >= 0) vnodeRefs[f.cwd]++;
    if (f.root >= 0) vnodeRefs[f.root]++;
  }
  vfs.filp.forEach((f, i) => {
    if (f.count !== filpRefs[i]) out.push({ invariant: 'filp count = descriptors', detail: `filp ${i}: count ${f.count}, referenced by ${filpRefs[i]} descriptors` });
    if (f.count > 0 && f.vnode >= 0) vnodeRefs[f.vnode]++;
  });
  vfs.vnode.forEach((v, i) => {
    if (v.refs !== vnodeRefs[i]) out.push({ invariant: 'vnode refs = references', detail: `vnode ${i} (ino ${v.ino}): refs ${v.refs}, referenced ${vnodeRefs[i]} times` });
  });

  // 3. MFS inode counts = VFS's references to them.
  const fsRefs = new Map<number, number>();
  for (const v of vfs.vnode) if (v.refs > 0 && v.fsRefs > 0) fsRefs.set(v.ino, (fsRefs.get(v.ino) ?? 0) + v.fsRefs);
  mfs.inodes.forEach((ino, i) => {
    const want = fsRefs.get(i) ?? 0;
    if (ino.count !== want) out.push({ invariant: 'MFS inode count = VFS references', detail: `inode ${i}: count ${ino.count}, VFS holds ${want}` });
  });

  // 4. Frames in use = frames mapped by the kernel's page tables; VM's free count agrees.
  const mapped = new Set<number>();
  for (const p of k.procs) if (!(p.flags & F_FREE) && p.kind === 'user') for (const f of p.pt) if (f >= 0) mapped.add(f);
  const used = new Set<number>();
  vm.frames.forEach((f, i) => { if (f.refs > 0) used.add(i); });
  const unmappedUsed = setDiff(used, mapped);
  const mappedFree = setDiff(mapped, used);
  if (unmappedUsed.length) out.push({ invariant: 'frames in use = frames mapped', detail: `frames in use but mapped nowhere: ${JSON.stringify(unmappedUsed.slice(0, 16))}${unmappedUsed.length > 16 ? '…' : ''}` });
  if (mappedFree.length) out.push({ invariant: 'frames in use = frames mapped', detail: `frames mapped but free in VM: ${JSON.stringify(mappedFree.slice(0, 16))}` });
  const free = vm.frames.length - used.size;
  if (vm.freeFrames !== free) out.push({ invariant: 'VM free-frame count', detail: `freeFrames ${vm.freeFrames}, actually free ${free}` });

  // 5. DS subscriptions name live endpoints.
  for (const s of ds.subs) {
    if (s.inUse && !k.proc(s.owner)) out.push({ invariant: 'DS subscribers are alive', detail: `subscription "${s.pattern}" of dead endpoint ${s.owner}` });
  }

  // 6. RS's service table = kernel privileges.
  for (const s of rs.services) {
    if (!s.inUse) continue;
    const p = k.proc(s.endpoint);
    if (!p) out.push({ invariant: 'RS table = kernel', detail: `service ${s.label} names dead endpoint ${s.endpoint}` });
    else if (s.endpoint !== RS && (p.callMask >>> 0) !== (s.callMask >>> 0)) {
      out.push({ invariant: 'RS table = kernel privileges', detail: `${s.label}: RS says 0x${(s.callMask >>> 0).toString(16)}, kernel 0x${(p.callMask >>> 0).toString(16)}` });
    }
  }
  void INIT;
  return out;
}
