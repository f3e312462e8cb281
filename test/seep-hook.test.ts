/*
 * The SEEP hook marks the request replied when the server answers its
 * requester, whether the window is still open or was closed earlier: a
 * replyable request's answer, or — for a request that came
 * asynchronously — a message that is not itself a protocol request.
 * Nothing else sent to the requester, and nothing sent elsewhere, is the
 * reply.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sim } from '../src/sim/sim';
import { Checkpointing } from '../src/osiris/checkpoint';
import { seepHook } from '../src/osiris/seep-hook';
import { BUILTIN_POLICIES } from '../src/osiris/policies';
import { INIT, PM, VFS, VM } from '../src/os/proto/endpoints';
import { PM_GETPID, PM_EXIT, VM_FORK } from '../src/os/proto/calls';
import type { Msg } from '../src/os/kernel/types';

const k = Sim.boot({ variant: 'osiris' }).world.kernel;

/** PM handling a request from `source`, its window open or closed; `send` passes one message; was the request marked replied? */
function replied(open: boolean, source: number, replyable: boolean, sends: [number, number][]): boolean {
  const ckpt = new Checkpointing(k, { logging: true });
  const hook = seepHook(ckpt, BUILTIN_POLICIES.enhanced!);
  const p = k.procs[PM]!;
  ckpt.checkpoint(p, { type: PM_GETPID, source } as Msg, replyable);
  if (!open) ckpt.windows.close(PM, 'test');
  for (const [dst, type] of sends) hook(p, 'ipc', dst, type);
  return ckpt.windows.info[PM]?.replied === true;
}

for (const open of [true, false]) {
  const w = open ? 'open' : 'closed';
  test(`window ${w}: the answer to a replyable request is the reply; a message elsewhere is not`, () => {
    assert.equal(replied(open, INIT, true, [[INIT, 0]]), true);
    assert.equal(replied(open, INIT, true, [[VM, VM_FORK]]), false);
  });

  test(`window ${w}: to an asynchronous requester, a protocol request is not the reply, a result is`, () => {
    assert.equal(replied(open, VFS, false, [[VFS, PM_EXIT]]), false, 'a request to the requester');
    assert.equal(replied(open, VFS, false, [[VFS, PM_EXIT], [VFS, 0]]), true, 'then a result');
  });
}
