/* The boot image: every server, in slot order. */
import { ServerDef } from '../sef/server';
import { pmServer } from './pm/main';
import { vfsServer } from './vfs/main';
import { rsServer } from './rs/main';
import { dsServer } from './ds/main';
import { vmServer } from './vm/main';
import { mfsServer } from './mfs/main';

export const BOOT_SERVERS: ServerDef<any>[] = [pmServer, vfsServer, rsServer, dsServer, vmServer, mfsServer];
