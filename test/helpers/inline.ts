/* Boot a system with extra, test-defined programs in /bin. */
import { bootSystem, SystemOptions } from '../../src/os/system';
import { asProgram, TestBody } from '../../src/os/workload/test-api';
import { Main } from '../../src/os/libc/core';
import { World } from '../../src/os/world';

export function bootWith(bodies: Record<string, TestBody>, opts: SystemOptions = {}): World {
  const extra = new Map<string, Main>();
  for (const [name, body] of Object.entries(bodies)) extra.set(name, asProgram(body));
  return bootSystem({ ...opts, extraPrograms: extra });
}
