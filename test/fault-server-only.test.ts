/*
 * Only the armed block's server on its EDFI build (SimConfig.faultServer,
 * run-one.ts RunHow.faultServerOnly): the other servers run their osiris
 * build, the same code without fault-site checks. A run gives the same
 * result either way; put on the wrong server, the armed fault never fires.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseCampaign } from '../src/experiment/campaign-spec';
import { planCampaign } from '../src/experiment/runner';
import { bootSnapshot, runOne } from '../src/experiment/run-one';
import { Sim } from '../src/sim/sim';
import { loadBlockMap } from '../src/sim/variants';
import { SERVER_NAMES } from '../src/os/proto/endpoints';
import { defaultCacheDir } from '../src/cli/shared';

const ROOT = path.resolve(__dirname, '..', '..');
const plan = planCampaign(parseCampaign({
  ...JSON.parse(fs.readFileSync(path.join(ROOT, 'campaigns', 'quick.json'), 'utf8')), name: 'fault-server-only', faults: { sample: 30 },
}, 'c.json', ROOT), defaultCacheDir());
const snap = bootSnapshot();
const blocks = loadBlockMap('osiris+edfi').blocks;
const slotOf = (server: string) => Number(Object.entries(SERVER_NAMES).find(([, n]) => n === server)![0]);

test('a run gives the same result with only its fault server on the EDFI build', () => {
  const servers = new Set<string>();
  let fired = 0;
  for (const t of plan.tasks) {
    const all = runOne(snap, t.spec);
    const only = runOne(snap, t.spec, { faultServerOnly: true });
    assert.deepEqual(only, all, t.key);
    servers.add(t.server);
    if (all.activations > 0) fired++;
  }
  assert.ok(servers.size >= 3 && fired > 0, `faults in several servers are tried (${[...servers].join(', ')}), ${fired} fire`);
  const spec = { ...plan.tasks[0]!.spec, block: -1 };
  assert.deepEqual(runOne(snap, spec, { faultServerOnly: true }), runOne(snap, spec), 'no fault: every server on its osiris build');
});

test('on another server than its own, an armed fault never fires', () => {
  const t = plan.tasks.find((x) => runOne(snap, x.spec).activations > 0)!;
  const own = slotOf(blocks[t.spec.block]!.server);
  const other = own === slotOf('pm') ? slotOf('vfs') : slotOf('pm');
  const activations = (slot: number) => {
    const sim = Sim.restore(snap, { variant: 'osiris+edfi', policy: t.spec.policy, faultServer: slot });
    sim.armFault(t.spec.block, t.spec.nullPointer);
    sim.setBudgets({ timeNs: t.spec.timeBudgetNs, messages: t.spec.messageBudget });
    sim.run(t.spec.programs);
    return sim.faultActivity().activations;
  };
  assert.ok(activations(own) > 0);
  assert.equal(activations(other), 0);
});
