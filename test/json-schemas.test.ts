/*
 * The JSON Schemas shipped in schemas/ are what the zod schemas that
 * validate campaign and policy files give (regenerate with `npm run
 * schemas`), and they describe the bundled files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { jsonSchemas } from '../src/experiment/json-schemas';
import { campaignSchema } from '../src/experiment/campaign-spec';

const ROOT = path.resolve(__dirname, '..', '..');

test('schemas/ holds the JSON Schemas generated from the zod schemas', () => {
  for (const [file, schema] of Object.entries(jsonSchemas())) {
    const committed = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', file), 'utf8'));
    assert.deepEqual(committed, schema, `schemas/${file} is stale: run \`npm run build && npm run schemas\``);
  }
  const c = jsonSchemas()['campaign.schema.json'] as { properties: Record<string, unknown>; required: string[]; additionalProperties: boolean };
  // Every field a campaign file may hold is described (the zod object's own keys).
  assert.deepEqual(Object.keys(c.properties), Object.keys(campaignSchema.shape));
  for (const f of ['name', 'seed', 'faultModel', 'faults', 'modes', 'tests', 'pretests', 'budget', 'checking']) assert.ok(f in c.properties, f);
  assert.deepEqual([...c.required].sort(), ['faultModel', 'faults', 'modes', 'name', 'seed']);
  assert.equal(c.additionalProperties, false);
  const p = jsonSchemas()['policy.schema.json'] as { properties: Record<string, unknown> };
  assert.ok('closeOn' in p.properties && 'rollback' in p.properties);
});
