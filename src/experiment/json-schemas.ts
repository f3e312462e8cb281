/*
 * JSON Schemas of the campaign and policy files, generated from the zod
 * schemas that validate them (z.toJSONSchema), so editors can check a file
 * as it is written. `npm run schemas` writes them to schemas/; a test
 * checks the committed files are what the zod schemas give.
 *
 * The entry points into this file are:
 *   jsonSchemas   file name -> schema object
 *   (run as a script: write them into the given directory)
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { campaignSchema } from './campaign-spec';
import { policySchema } from '../osiris/policies';

function schemaOf(s: z.ZodType, title: string): Record<string, unknown> {
  // The files are what users write: the input side of transforms (the seed may be a number).
  const js = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { title, ...js };
}

export function jsonSchemas(): Record<string, Record<string, unknown>> {
  return {
    'campaign.schema.json': schemaOf(campaignSchema, 'osiris-fi campaign file'),
    'policy.schema.json': schemaOf(policySchema, 'osiris-fi recovery policy file'),
  };
}

if (require.main === module) {
  const dir = path.resolve(process.argv[2] ?? 'schemas');
  fs.mkdirSync(dir, { recursive: true });
  for (const [f, s] of Object.entries(jsonSchemas())) fs.writeFileSync(path.join(dir, f), JSON.stringify(s, null, 2) + '\n');
  process.stdout.write(`wrote ${Object.keys(jsonSchemas()).join(', ')} to ${dir}\n`);
}
