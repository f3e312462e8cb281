/*
 * The VM server's handlers, driven directly with a fake kernel: a local page
 * table per endpoint and a local physical memory, so tests can check what VM
 * told the kernel and what the pages contain.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServerPanic } from '../src/os/kernel/errors';
import { SysCalls } from '../src/os/kernel/syscalls';
import type { Args, MsgType, ReplyFields, Req } from '../src/os/proto/messages';

/**
 * The harness drives a message type with any subset of its layout's fields (malformed requests leave some out),
 * so a request is cast to the handler's type; a reply is read as its requester reads it, every field typed.
 */
type Out<T extends MsgType> = { type: number } & ReplyFields<T>;
import * as C from '../src/os/proto/calls';
import { INIT, PM, VM, VFS, makeEndpoint, slotOf, FIRST_USER_SLOT } from '../src/os/proto/endpoints';
import { EAGAIN, EFAULT, EINVAL, ENOMEM, EPERM, ESRCH } from '../src/os/proto/errno';
import { VMCTL_CLEAR, VMCTL_MAP, VMCTL_UNMAP, SYS_FORK, SYS_VMCTL, SYS_PHYSCOPY, SYS_PHYSZERO } from '../src/os/proto/kcalls';
import {
  DATA_PAGE, HEAP_PAGE, MMAP_BASE_PAGE, NR_FRAMES, PAGE_SIZE, STACK_PAGE, TEXT_PAGE, VPAGES,
} from '../src/os/proto/vm';
import { ServerCtx } from '../src/os/sef/server';
import { vmServer } from '../src/os/servers/vm/main';
import { auditFrames } from '../src/os/servers/vm/frames';
import { mapPage } from '../src/os/servers/vm/pagetable';
import { IMAGE_PAGES } from '../src/os/servers/vm/space';
import { NO_FRAME, VMF_EXITING, VMF_SIGNALED, VmState } from '../src/os/servers/vm/state';

/** A kernel stand-in: page tables, physical memory and a record of the calls. */
class FakeSys {
  pts = new Map<number, Int32Array>();
  mem = new Uint8Array(NR_FRAMES * PAGE_SIZE);
  calls: string[] = [];
  gens = new Array<number>(64).fill(0);
  /** When set, the next fork fails with this errno. */
  forkError = 0;
  /** Endpoints the kernel no longer knows (SYS_EXIT already done). */
  gone = new Set<number>();

  pt(ep: number): Int32Array {
    let t = this.pts.get(ep);
    if (!t) { t = new Int32Array(VPAGES).fill(-1); this.pts.set(ep, t); }
    return t;
  }

  fork(parent: number, slot: number): number {
    this.calls.push(`fork ${parent} ${slot}`);
    if (this.forkError) { const e = this.forkError; this.forkError = 0; return -e; }
    this.gens[slot]! += 1;
    return makeEndpoint(this.gens[slot]!, slot);
  }

  vmctl(op: number, ep: number, vpage: number, frame: number): number {
    this.calls.push(`vmctl ${op} ${ep} ${vpage} ${frame}`);
    if (this.gone.has(ep)) return -ESRCH;
    const t = this.pt(ep);
    if (op === VMCTL_CLEAR) { t.fill(-1); return 0; }
    if (vpage < 1 || vpage >= VPAGES) return -EINVAL;
    if (op === VMCTL_MAP) { t[vpage] = frame; return 0; }
    if (op === VMCTL_UNMAP) { t[vpage] = -1; return 0; }
    return -EINVAL;
  }

  physcopy(src: number, dst: number): number {
    this.calls.push(`physcopy ${src} ${dst}`);
    this.mem.copyWithin(dst * PAGE_SIZE, src * PAGE_SIZE, (src + 1) * PAGE_SIZE);
    return 0;
  }

  physzero(f: number): number {
    this.calls.push(`physzero ${f}`);
    this.mem.fill(0, f * PAGE_SIZE, (f + 1) * PAGE_SIZE);
    return 0;
  }

  times(_ep: number): { now: number; user: number; sys: number } { return { now: 0, user: 0, sys: 0 }; }
  diag(text: string): void { this.calls.push(`diag ${text}`); }

  /** A user access through the page table, as the kernel's PhysMem does. */
  addrOf(ep: number, addr: number): number {
    const f = this.pt(ep)[Math.floor(addr / PAGE_SIZE)];
    if (f === undefined || f < 0) throw new Error(`segfault ${ep} 0x${addr.toString(16)}`);
    return f * PAGE_SIZE + (addr % PAGE_SIZE);
  }
  poke(ep: number, addr: number, v: number): void { this.mem[this.addrOf(ep, addr)] = v; }
  peek(ep: number, addr: number): number { return this.mem[this.addrOf(ep, addr)]!; }
}

interface Setup { ctx: ServerCtx<VmState>; sys: FakeSys; st: VmState }

function boot(): Setup {
  const sys = new FakeSys();
  const st = vmServer.initialState({ programs: [] });
  const ctx: ServerCtx<VmState> = { st, self: VM, name: 'vm', sys: sys as unknown as SysCalls, replyable: () => true };
  const r = vmServer.initFresh!(ctx).next();
  assert.equal(r.done, true);
  return { ctx, sys, st };
}

/** Run one request to completion (VM handlers make no IPC). */
function call<T extends MsgType>(s: Setup, type: T, source: number, fields: Partial<Args<T>> = {}): Out<T> {
  const e = vmServer.table[type as number];
  assert.ok(e, `no handler for ${C.messageName(type)}`);
  const m = { type, source, ...fields } as Req<T>;
  const r = e.handler(s.ctx, m).next();
  assert.equal(r.done, true, 'handler yielded');
  assert.ok(r.value);
  return r.value as Out<T>;
}

function fork(s: Setup, parent: number, slot: number): number {
  const r = call(s, C.VM_FORK, PM, { parent, slot });
  assert.equal(r.type, 0, `fork failed: ${r.type}`);
  return r.endpoint;
}

function usedFrames(s: Setup): number { return NR_FRAMES - s.st.freeFrames; }

/** Leave exactly `leave` frames free by mmapping in fresh children of init. */
function eatFrames(s: Setup, leave: number, firstSlot = 40): number[] {
  const kids: number[] = [];
  let slot = firstSlot;
  while (s.st.freeFrames > leave) {
    const kid = fork(s, INIT, slot++);
    kids.push(kid);
    for (let i = 0; i < 4 && s.st.freeFrames > leave; i++) {
      const want = Math.min(s.st.freeFrames - leave, 9);
      assert.equal(call(s, C.VM_MMAP, kid, { addr: 0, len: want * PAGE_SIZE }).type, 0);
    }
  }
  assert.equal(s.st.freeFrames, leave);
  return kids;
}

test('boot builds init: text, data, empty heap, stack, zeroed and mapped', () => {
  const s = boot();
  assert.equal(usedFrames(s), IMAGE_PAGES);
  const vp = s.st.vmproc[INIT]!;
  assert.equal(vp.inUse, true);
  assert.equal(vp.brkPage, HEAP_PAGE);
  const kinds = vp.regions.filter((r) => r.inUse).map((r) => `${r.kind}@${r.startPage}+${r.pages}`);
  assert.deepEqual(kinds, [`text@${TEXT_PAGE}+2`, `data@${DATA_PAGE}+3`, `heap@${HEAP_PAGE}+0`, `stack@${STACK_PAGE}+2`]);
  const pt = s.sys.pt(INIT);
  for (let p = 0; p < VPAGES; p++) assert.equal(pt[p], vp.pageFrame[p], `page ${p}`);
  assert.equal(s.sys.calls.filter((c) => c.startsWith('physzero')).length, IMAGE_PAGES);
  assert.equal(call(s, C.VM_GETPHYS, PM, { endpoint: INIT, addr: DATA_PAGE * PAGE_SIZE + 5 }).type, vp.pageFrame[DATA_PAGE]);
  assert.equal(call(s, C.VM_GETPHYS, PM, { endpoint: INIT, addr: 0 }).type, -EFAULT);
  assert.equal(call(s, C.VM_GETPHYS, PM, { endpoint: INIT, addr: VPAGES * PAGE_SIZE }).type, -EFAULT);
  assert.equal(call(s, C.VM_GETPHYS, PM, { endpoint: 12345, addr: PAGE_SIZE }).type, -EINVAL);
  assert.deepEqual(call(s, C.VM_INFO, INIT), { type: 0, free: NR_FRAMES - IMAGE_PAGES, total: NR_FRAMES });
  assert.deepEqual(structuredClone(s.st), s.st);
});

test('the server definition', () => {
  assert.equal(vmServer.name, 'vm');
  assert.equal(vmServer.slot, VM);
  for (const nr of [SYS_FORK, SYS_VMCTL, SYS_PHYSCOPY, SYS_PHYSZERO]) assert.ok(vmServer.callMask & (1 << nr));
  for (const t of [C.VM_BRK, C.VM_MMAP, C.VM_MUNMAP, C.VM_FORK, C.VM_EXIT, C.VM_EXEC_NEWMEM, C.VM_WILLEXIT,
    C.VM_NOTIFY_SIG, C.VM_INFO, C.VM_GETPHYS, C.VM_MPROTECT]) assert.ok(vmServer.table[t], C.messageName(t));
});

test('fork copies every page into new frames; writes stay private', () => {
  const s = boot();
  const data = DATA_PAGE * PAGE_SIZE + 100;
  s.sys.poke(INIT, data, 42);
  assert.equal(call(s, C.VM_BRK, INIT, { addr: HEAP_PAGE * PAGE_SIZE + 10 }).type, 0);
  s.sys.poke(INIT, HEAP_PAGE * PAGE_SIZE + 3, 7);
  const m = call(s, C.VM_MMAP, INIT, { addr: 0, len: 2 * PAGE_SIZE });
  s.sys.poke(INIT, m.addr + PAGE_SIZE, 9);
  const before = usedFrames(s);

  const kid = fork(s, INIT, FIRST_USER_SLOT);
  assert.equal(slotOf(kid), FIRST_USER_SLOT);
  assert.equal(usedFrames(s), 2 * before);
  assert.equal(s.st.stats.forks, 1);
  const vc = s.st.vmproc[FIRST_USER_SLOT]!;
  assert.equal(vc.endpoint, kid);
  assert.equal(vc.brkPage, HEAP_PAGE + 1);
  assert.equal(s.sys.peek(kid, data), 42);
  assert.equal(s.sys.peek(kid, HEAP_PAGE * PAGE_SIZE + 3), 7);
  assert.equal(s.sys.peek(kid, m.addr + PAGE_SIZE), 9);
  for (let p = 0; p < VPAGES; p++) {
    const pf = s.st.vmproc[INIT]!.pageFrame[p];
    if (pf === NO_FRAME) { assert.equal(vc.pageFrame[p], NO_FRAME); continue; }
    assert.notEqual(vc.pageFrame[p], pf, `page ${p} shared`);
    assert.equal(s.st.frames[vc.pageFrame[p]!]!.owner, FIRST_USER_SLOT);
    assert.equal(s.sys.pt(kid)[p], vc.pageFrame[p]);
  }
  s.sys.poke(kid, data, 1);
  s.sys.poke(INIT, HEAP_PAGE * PAGE_SIZE + 3, 2);
  assert.equal(s.sys.peek(INIT, data), 42);
  assert.equal(s.sys.peek(kid, HEAP_PAGE * PAGE_SIZE + 3), 7);

  // A grandchild copies the child, not init.
  const gkid = fork(s, kid, FIRST_USER_SLOT + 1);
  assert.equal(s.sys.peek(gkid, data), 1);
});

test('fork refuses bad requests without changing anything', () => {
  const s = boot();
  const snap = structuredClone(s.st);
  assert.equal(call(s, C.VM_FORK, VFS, { parent: INIT, slot: 9 }).type, -EPERM);
  assert.equal(call(s, C.VM_FORK, PM, { parent: makeEndpoint(3, 20), slot: 9 }).type, -EINVAL);
  assert.equal(call(s, C.VM_FORK, PM, { parent: INIT, slot: VM }).type, -EINVAL);
  assert.equal(call(s, C.VM_FORK, PM, { parent: INIT, slot: 64 }).type, -EINVAL);
  assert.equal(call(s, C.VM_FORK, PM, { parent: INIT, slot: 'x' as unknown as number }).type, -EINVAL, 'a field of the wrong type');
  assert.equal(call(s, C.VM_FORK, PM, { parent: INIT, slot: INIT }).type, -EINVAL);
  s.sys.forkError = EAGAIN;
  assert.equal(call(s, C.VM_FORK, PM, { parent: INIT, slot: 9 }).type, -EAGAIN);
  assert.deepEqual(s.st, snap);
  const kid = fork(s, INIT, 9);
  assert.equal(call(s, C.VM_FORK, PM, { parent: INIT, slot: slotOf(kid) }).type, -EINVAL);
});

test('fork without enough frames is ENOMEM before the kernel is asked', () => {
  const s = boot();
  eatFrames(s, IMAGE_PAGES - 1);
  const snap = structuredClone(s.st);
  const forks = s.sys.calls.filter((c) => c.startsWith('fork')).length;
  assert.equal(call(s, C.VM_FORK, PM, { parent: INIT, slot: 8 }).type, -ENOMEM);
  assert.equal(s.sys.calls.filter((c) => c.startsWith('fork')).length, forks);
  assert.deepEqual(s.st, snap);
  auditFrames(s.st);
});

test('brk grows with zeroed pages and shrinks releasing frames', () => {
  const s = boot();
  const kid = fork(s, INIT, 10);
  const base = HEAP_PAGE * PAGE_SIZE;
  const free0 = s.st.freeFrames;
  assert.equal(call(s, C.VM_BRK, kid, { addr: base + 3 * PAGE_SIZE + 1 }).type, 0);
  const vp = s.st.vmproc[10]!;
  assert.equal(vp.brkPage, HEAP_PAGE + 4);
  assert.equal(s.st.freeFrames, free0 - 4);
  s.sys.poke(kid, base + 3 * PAGE_SIZE, 77);
  // Exactly on a page boundary: no extra page.
  assert.equal(call(s, C.VM_BRK, kid, { addr: base + 3 * PAGE_SIZE }).type, 0);
  assert.equal(vp.brkPage, HEAP_PAGE + 3);
  assert.equal(s.sys.pt(kid)[HEAP_PAGE + 3], -1);
  assert.equal(s.st.freeFrames, free0 - 3);
  assert.equal(call(s, C.VM_BRK, kid, { addr: base + 4 * PAGE_SIZE }).type, 0);
  assert.equal(s.sys.peek(kid, base + 3 * PAGE_SIZE), 0, 'regrown page is zeroed');
  assert.equal(call(s, C.VM_BRK, kid, { addr: base }).type, 0);
  assert.equal(vp.brkPage, HEAP_PAGE);
  assert.equal(s.st.freeFrames, free0);
  // Unchanged break: nothing to do.
  assert.equal(call(s, C.VM_BRK, kid, { addr: base }).type, 0);
  assert.equal(s.st.stats.brks, 5);
  auditFrames(s.st);
});

test('brk limits: below the heap, into the mmap area, out of frames, bad callers', () => {
  const s = boot();
  const kid = fork(s, INIT, 11);
  const snap = structuredClone(s.st);
  assert.equal(call(s, C.VM_BRK, kid, { addr: HEAP_PAGE * PAGE_SIZE - 1 }).type, -ENOMEM);
  assert.equal(call(s, C.VM_BRK, kid, { addr: MMAP_BASE_PAGE * PAGE_SIZE + 1 }).type, -ENOMEM);
  assert.equal(call(s, C.VM_BRK, kid, { addr: 1.5 }).type, -EINVAL);
  assert.equal(call(s, C.VM_BRK, makeEndpoint(9, 11), { addr: HEAP_PAGE * PAGE_SIZE + 1 }).type, -EINVAL);
  assert.equal(call(s, C.VM_BRK, VFS, { addr: HEAP_PAGE * PAGE_SIZE + 1 }).type, -EINVAL);
  assert.deepEqual(s.st, snap);
  // The largest break allowed: the heap ends right below the mmap area.
  assert.equal(call(s, C.VM_BRK, kid, { addr: MMAP_BASE_PAGE * PAGE_SIZE - 1 }).type, 0);
  assert.equal(s.st.vmproc[11]!.brkPage, MMAP_BASE_PAGE);
  assert.equal(call(s, C.VM_BRK, kid, { addr: MMAP_BASE_PAGE * PAGE_SIZE }).type, 0);
  assert.equal(s.st.vmproc[11]!.brkPage, MMAP_BASE_PAGE);

  eatFrames(s, 2);
  const snap2 = structuredClone(s.st);
  assert.equal(call(s, C.VM_BRK, INIT, { addr: (HEAP_PAGE + 3) * PAGE_SIZE }).type, -ENOMEM);
  assert.deepEqual(s.st, snap2);
  assert.equal(call(s, C.VM_BRK, INIT, { addr: (HEAP_PAGE + 2) * PAGE_SIZE }).type, 0);
  assert.equal(s.st.freeFrames, 0);
  auditFrames(s.st);
});

test('mmap places zeroed regions first fit, honours a usable hint', () => {
  const s = boot();
  const kid = fork(s, INIT, 12);
  const free0 = s.st.freeFrames;
  const a = call(s, C.VM_MMAP, kid, { addr: 0, len: 1 });
  assert.deepEqual(a, { type: 0, addr: MMAP_BASE_PAGE * PAGE_SIZE });
  const b = call(s, C.VM_MMAP, kid, { addr: 0, len: PAGE_SIZE + 1 });
  assert.equal(b.addr, (MMAP_BASE_PAGE + 1) * PAGE_SIZE);
  assert.equal(s.st.freeFrames, free0 - 3);
  assert.equal(s.sys.peek(kid, b.addr + PAGE_SIZE + 5), 0);
  s.sys.poke(kid, b.addr + PAGE_SIZE + 5, 3);
  const hint = (MMAP_BASE_PAGE + 10) * PAGE_SIZE;
  assert.equal(call(s, C.VM_MMAP, kid, { addr: hint, len: PAGE_SIZE }).addr, hint);
  // An overlapping or unaligned hint is ignored.
  assert.equal(call(s, C.VM_MMAP, kid, { addr: hint + 1, len: PAGE_SIZE }).addr, (MMAP_BASE_PAGE + 3) * PAGE_SIZE);
  assert.equal(s.st.stats.mmaps, 4);
  // Text, data, heap and stack use four of the eight region slots.
  const snap = structuredClone(s.st);
  assert.equal(call(s, C.VM_MMAP, kid, { addr: 0, len: PAGE_SIZE }).type, -ENOMEM);
  assert.equal(call(s, C.VM_MMAP, kid, { addr: 0, len: 0 }).type, -EINVAL);
  assert.equal(call(s, C.VM_MMAP, kid, { addr: 0, len: -5 }).type, -EINVAL);
  assert.equal(call(s, C.VM_MMAP, VFS, { addr: 0, len: 5 }).type, -EINVAL);
  assert.deepEqual(s.st, snap);
  auditFrames(s.st);
});

test('mmap refuses when virtual space or frames run out', () => {
  const s = boot();
  const kid = fork(s, INIT, 13);
  const area = STACK_PAGE - MMAP_BASE_PAGE;
  assert.equal(call(s, C.VM_MMAP, kid, { addr: 0, len: (area + 1) * PAGE_SIZE }).type, -ENOMEM);
  assert.equal(call(s, C.VM_MMAP, kid, { addr: 0, len: (area - 1) * PAGE_SIZE }).type, 0);
  const snap = structuredClone(s.st);
  assert.equal(call(s, C.VM_MMAP, kid, { addr: 0, len: 2 * PAGE_SIZE }).type, -ENOMEM);
  assert.deepEqual(s.st, snap);
  assert.equal(call(s, C.VM_MMAP, kid, { addr: 0, len: PAGE_SIZE }).addr, (STACK_PAGE - 1) * PAGE_SIZE);

  eatFrames(s, 3);
  const snap2 = structuredClone(s.st);
  assert.equal(call(s, C.VM_MMAP, INIT, { addr: 0, len: 4 * PAGE_SIZE }).type, -ENOMEM);
  assert.deepEqual(s.st, snap2);
  assert.equal(call(s, C.VM_MMAP, INIT, { addr: 0, len: 3 * PAGE_SIZE }).type, 0);
  assert.equal(s.st.freeFrames, 0);
});

test('munmap removes whole regions and trims either end; holes are refused', () => {
  const s = boot();
  const kid = fork(s, INIT, 14);
  const free0 = s.st.freeFrames;
  const a = call(s, C.VM_MMAP, kid, { addr: 0, len: 4 * PAGE_SIZE }).addr;
  const b = call(s, C.VM_MMAP, kid, { addr: 0, len: 2 * PAGE_SIZE }).addr;
  assert.equal(b, a + 4 * PAGE_SIZE);
  const snap = structuredClone(s.st);
  assert.equal(call(s, C.VM_MUNMAP, kid, { addr: a + PAGE_SIZE, len: PAGE_SIZE }).type, -EINVAL, 'hole');
  assert.equal(call(s, C.VM_MUNMAP, kid, { addr: a + 1, len: PAGE_SIZE }).type, -EINVAL, 'unaligned');
  assert.equal(call(s, C.VM_MUNMAP, kid, { addr: a, len: 0 }).type, -EINVAL);
  assert.equal(call(s, C.VM_MUNMAP, kid, { addr: b, len: 3 * PAGE_SIZE }).type, -EINVAL, 'past the region');
  assert.equal(call(s, C.VM_MUNMAP, kid, { addr: DATA_PAGE * PAGE_SIZE, len: PAGE_SIZE }).type, -EINVAL, 'not mmap');
  assert.equal(call(s, C.VM_MUNMAP, kid, { addr: b + 10 * PAGE_SIZE, len: PAGE_SIZE }).type, -EINVAL, 'unmapped');
  assert.deepEqual(s.st, snap);

  // Head of a.
  assert.equal(call(s, C.VM_MUNMAP, kid, { addr: a, len: 1 }).type, 0);
  assert.equal(s.sys.pt(kid)[a / PAGE_SIZE], -1);
  assert.equal(s.st.freeFrames, free0 - 5);
  // Tail of a and head of b in one call: the range spans two regions.
  assert.equal(call(s, C.VM_MUNMAP, kid, { addr: a + 3 * PAGE_SIZE, len: 2 * PAGE_SIZE }).type, 0);
  assert.equal(s.st.freeFrames, free0 - 3);
  const kinds = s.st.vmproc[14]!.regions.filter((r) => r.inUse && r.kind === 'mmap').map((r) => [r.startPage, r.pages]);
  assert.deepEqual(kinds, [[MMAP_BASE_PAGE + 1, 2], [MMAP_BASE_PAGE + 5, 1]]);
  // Whole regions.
  assert.equal(call(s, C.VM_MUNMAP, kid, { addr: a + PAGE_SIZE, len: 2 * PAGE_SIZE }).type, 0);
  assert.equal(call(s, C.VM_MUNMAP, kid, { addr: b + PAGE_SIZE, len: PAGE_SIZE }).type, 0);
  assert.equal(s.st.freeFrames, free0);
  assert.equal(s.st.vmproc[14]!.regions.filter((r) => r.inUse).length, 4);
  assert.equal(s.st.stats.munmaps, 4);
  // The freed space is reused first fit.
  assert.equal(call(s, C.VM_MMAP, kid, { addr: 0, len: PAGE_SIZE }).addr, MMAP_BASE_PAGE * PAGE_SIZE);
  auditFrames(s.st);
});

test('mprotect validates that the range is mapped', () => {
  const s = boot();
  assert.equal(call(s, C.VM_MPROTECT, INIT, { addr: DATA_PAGE * PAGE_SIZE, len: 3 * PAGE_SIZE, prot: 1 }).type, 0);
  assert.equal(call(s, C.VM_MPROTECT, INIT, { addr: DATA_PAGE * PAGE_SIZE, len: 4 * PAGE_SIZE, prot: 1 }).type, -ENOMEM);
  assert.equal(call(s, C.VM_MPROTECT, INIT, { addr: DATA_PAGE * PAGE_SIZE + 1, len: 1, prot: 1 }).type, -EINVAL);
  assert.equal(call(s, C.VM_MPROTECT, INIT, { addr: 0, len: PAGE_SIZE, prot: 1 }).type, -ENOMEM);
  assert.equal(call(s, C.VM_MPROTECT, VFS, { addr: PAGE_SIZE, len: PAGE_SIZE, prot: 1 }).type, -EINVAL);
});

test('exec replaces the image with a fresh zeroed layout', () => {
  const s = boot();
  const kid = fork(s, INIT, 15);
  const free0 = s.st.freeFrames;
  s.sys.poke(kid, DATA_PAGE * PAGE_SIZE, 5);
  assert.equal(call(s, C.VM_BRK, kid, { addr: (HEAP_PAGE + 5) * PAGE_SIZE }).type, 0);
  assert.equal(call(s, C.VM_MMAP, kid, { addr: 0, len: 3 * PAGE_SIZE }).type, 0);
  assert.equal(call(s, C.VM_NOTIFY_SIG, PM, { endpoint: kid, sig: 2 }).type, 0);
  assert.equal(s.st.freeFrames, free0 - 8);

  assert.equal(call(s, C.VM_EXEC_NEWMEM, VFS, { endpoint: kid }).type, -EPERM);
  assert.equal(call(s, C.VM_EXEC_NEWMEM, PM, { endpoint: kid + 1024 }).type, -EINVAL);
  assert.equal(call(s, C.VM_EXEC_NEWMEM, PM, { endpoint: kid }).type, 0);
  const vp = s.st.vmproc[15]!;
  assert.equal(vp.brkPage, HEAP_PAGE);
  assert.equal(vp.lastSig, 0);
  assert.equal(vp.flags & VMF_SIGNALED, 0);
  assert.equal(s.st.freeFrames, free0);
  assert.equal(s.sys.peek(kid, DATA_PAGE * PAGE_SIZE), 0);
  assert.equal(s.sys.pt(kid)[MMAP_BASE_PAGE], -1);
  assert.equal(s.sys.pt(kid)[HEAP_PAGE], -1);
  assert.equal(vp.regions.filter((r) => r.inUse).length, 4);
  assert.equal(s.st.stats.execs, 1);
  // With every frame taken, exec still fits: the old image's frames count.
  eatFrames(s, 0);
  assert.equal(call(s, C.VM_EXEC_NEWMEM, PM, { endpoint: kid }).type, 0);
  auditFrames(s.st);
});

test('exit releases every frame and region; the slot is reusable', () => {
  const s = boot();
  const free0 = s.st.freeFrames;
  const kid = fork(s, INIT, 16);
  assert.equal(call(s, C.VM_BRK, kid, { addr: (HEAP_PAGE + 2) * PAGE_SIZE }).type, 0);
  assert.equal(call(s, C.VM_MMAP, kid, { addr: 0, len: 5 * PAGE_SIZE }).type, 0);
  const grandkid = fork(s, kid, 17);
  assert.equal(call(s, C.VM_WILLEXIT, PM, { endpoint: kid }).type, 0);
  assert.equal(s.st.vmproc[16]!.flags & VMF_EXITING, VMF_EXITING);

  assert.equal(call(s, C.VM_EXIT, VFS, { endpoint: kid }).type, -EPERM);
  assert.equal(call(s, C.VM_EXIT, PM, { endpoint: kid }).type, 0);
  assert.equal(s.st.vmproc[16]!.inUse, false);
  assert.ok(s.sys.calls.includes(`vmctl ${VMCTL_CLEAR} ${kid} 0 0`));
  assert.ok(s.sys.pt(kid).every((f) => f === -1));
  assert.ok(s.st.frames.every((f) => f.owner !== 16));
  assert.equal(call(s, C.VM_EXIT, PM, { endpoint: kid }).type, -EINVAL);
  // The kernel may have removed the process already.
  s.sys.gone.add(grandkid);
  assert.equal(call(s, C.VM_EXIT, PM, { endpoint: grandkid }).type, 0);
  assert.equal(s.st.freeFrames, free0);
  assert.equal(s.st.stats.exits, 2);
  const again = fork(s, INIT, 16);
  assert.notEqual(again, kid);
  assert.equal(call(s, C.VM_EXIT, PM, { endpoint: again }).type, 0);
  assert.equal(s.st.freeFrames, free0);
});

test('willexit and notify_sig only record, and check their caller', () => {
  const s = boot();
  assert.equal(call(s, C.VM_WILLEXIT, INIT, { endpoint: INIT }).type, -EPERM);
  assert.equal(call(s, C.VM_WILLEXIT, PM, { endpoint: 99 }).type, -EINVAL);
  assert.equal(call(s, C.VM_NOTIFY_SIG, PM, { endpoint: INIT, sig: 0 }).type, -EINVAL);
  assert.equal(call(s, C.VM_NOTIFY_SIG, PM, { endpoint: INIT, sig: 15 }).type, 0);
  assert.equal(s.st.vmproc[INIT]!.lastSig, 15);
  assert.equal(s.st.stats.signals, 1);
  assert.equal(call(s, C.VM_NOTIFY_SIG, INIT, { endpoint: INIT, sig: 15 }).type, -EPERM);
});

test('broken invariants panic', () => {
  const s = boot();
  s.st.freeFrames -= 1;
  assert.throws(() => call(s, C.VM_FORK, PM, { parent: INIT, slot: 20 }), ServerPanic);

  const t = boot();
  const vp = t.st.vmproc[INIT]!;
  assert.throws(() => mapPage(t.ctx, vp, DATA_PAGE, 100), /already mapped/);
  t.st.frames[200]!.refs = 1;
  assert.throws(() => auditFrames(t.st), /without an owner/);

  const u = boot();
  u.st.vmproc[INIT]!.regions[2]!.pages = 1; // the heap no longer ends at the break
  assert.throws(() => call(u, C.VM_BRK, INIT, { addr: (HEAP_PAGE + 3) * PAGE_SIZE }), ServerPanic);
});

test('the same requests give the same state (determinism)', () => {
  const run = (): VmState => {
    const s = boot();
    const k = fork(s, INIT, 30);
    call(s, C.VM_BRK, k, { addr: (HEAP_PAGE + 3) * PAGE_SIZE });
    const a = call(s, C.VM_MMAP, k, { addr: 0, len: 3 * PAGE_SIZE }).addr;
    const k2 = fork(s, k, 31);
    call(s, C.VM_MUNMAP, k, { addr: a, len: PAGE_SIZE });
    call(s, C.VM_EXIT, PM, { endpoint: k2 });
    call(s, C.VM_EXEC_NEWMEM, PM, { endpoint: k });
    return s.st;
  };
  assert.deepEqual(run(), run());
});
