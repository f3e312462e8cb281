/* Boot a system with extra, test-defined programs in /bin. */
import { Sim, SimConfig } from '../../src/sim/sim';
import { asProgram, TestBody } from '../../src/os/workload/test-api';
import { Main } from '../../src/os/libc/core';
import { World } from '../../src/os/world';

export function bootWith(bodies: Record<string, TestBody>, opts: SimConfig = {}): World {
  const extra = new Map<string, Main>();
  for (const [name, body] of Object.entries(bodies)) extra.set(name, asProgram(body));
  return Sim.boot({ ...opts, extraPrograms: extra }).world;
}
