/*
 * A built-in policy by name, for tests: a name that is not built in fails
 * the test (or the file) that asks for it, with the name in the message.
 *
 * The entry points into this file are:
 *   builtin   BUILTIN_POLICIES[name], asserted present
 */
import assert from 'node:assert/strict';
import { BUILTIN_POLICIES, Policy } from '../../src/osiris/policies';

export function builtin(name: string): Policy {
  const p = BUILTIN_POLICIES[name];
  assert.ok(p, `${name} is a built-in policy`);
  return p;
}
