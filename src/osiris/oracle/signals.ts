/*
 * Invariants about alarms and signals: PM keeps alarms only for live
 * processes, its one kernel alarm is the earliest of them and is the alarm
 * the kernel holds for PM; RS's heartbeat is the alarm the kernel holds for
 * RS; signals the kernel raised have reached PM; a live process has no
 * unblocked signal left pending; the kernel keeps nothing for a free slot.
 *
 * The entry points into this file are:
 *   checkSignals(v, out)   add the findings of this group
 */
import { F_FREE } from '../../os/kernel/proc';
import { NR_SLOTS, PM, RS } from '../../os/proto/endpoints';
import { EXITING, IN_USE, ZOMBIE } from '../../os/servers/pm/state';
import { Findings, View } from './view';
import { procName } from './processes';

function pmAlarms(v: View, out: Findings): void {
  const mp = v.pm.mproc;
  let earliest = -1;
  for (let s = 0; s < NR_SLOTS; s++) {
    const m = mp[s]!;
    if (m.alarmAt < 0) continue;
    if (!(m.flags & IN_USE) || m.flags & (ZOMBIE | EXITING)) {
      out.add('no alarm for a dead process', ['pm'], `slot ${s}${m.flags & IN_USE ? ` (${procName(v, s)}, a zombie)` : ''}`, `alarm at ${m.alarmAt} ns`);
      continue;
    }
    if (earliest < 0 || m.alarmAt < earliest) earliest = m.alarmAt;
  }
  if (v.pm.kernelAlarm !== earliest) {
    out.add('PM kernel alarm = earliest process alarm', ['pm'], 'PM alarm queue', `PM's kernel alarm ${v.pm.kernelAlarm}, earliest process alarm ${earliest}`);
  }
  const k = v.procs[PM]!.alarmAt;
  if (k !== v.pm.kernelAlarm) out.add('PM kernel alarm = kernel', ['pm', 'kernel'], 'PM alarm', `PM set ${v.pm.kernelAlarm}, the kernel holds ${k}`);
  const r = v.procs[RS]!.alarmAt;
  if (r !== v.rs.heartbeatAt) out.add('RS heartbeat = kernel alarm', ['rs', 'kernel'], 'RS heartbeat', `RS set ${v.rs.heartbeatAt}, the kernel holds ${r}`);
}

function pendingSignals(v: View, out: Findings): void {
  for (let s = 0; s < NR_SLOTS; s++) {
    const p = v.procs[s]!;
    if (p.flags & F_FREE) {
      if (p.alarmAt >= 0 || p.ksigs !== 0) out.add('nothing pending for a free slot', ['kernel'], `slot ${s}`, `alarm ${p.alarmAt}, signals 0x${(p.ksigs >>> 0).toString(16)}`);
      continue;
    }
    if (p.kind !== 'user') continue;
    if (p.ksigs !== 0) out.add('kernel signals reach PM', ['kernel', 'pm'], procName(v, s), `signals 0x${(p.ksigs >>> 0).toString(16)} raised but not collected by PM`);
    const m = v.pm.mproc[s]!;
    if (!(m.flags & IN_USE) || m.flags & (ZOMBIE | EXITING) || m.endpoint !== p.endpoint) continue;
    const stuck = (m.sigPending & ~m.sigMask) >>> 0;
    if (stuck !== 0) out.add('pending signals are blocked ones', ['pm'], procName(v, s), `pending 0x${(m.sigPending >>> 0).toString(16)}, mask 0x${(m.sigMask >>> 0).toString(16)}`);
  }
}

export function checkSignals(v: View, out: Findings): void {
  pmAlarms(v, out);
  pendingSignals(v, out);
}
