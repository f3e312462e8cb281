/*
 * Geometry of the MFS disk image and limits of the file system (MINIX's
 * const.h). Only frozen primitives live here.
 *
 * The entry points into this file are: the constants.
 */
import { BLOCK_SIZE, NAME_MAX } from '../../proto/fs';

export { BLOCK_SIZE };
export const NR_BLOCKS = 1024;
export const NR_INODES = 256;
/** Boot block, super block, inode map, zone map and 16 blocks of 64-byte inodes precede the data zones. */
export const FIRST_DATA = 20;
export const ROOT_INO = 1;
export const NR_DZONES = 7;
/** Block numbers held by the single indirect block (u32 each). */
export const NR_INDIRECTS = BLOCK_SIZE / 4;
export const MAX_FILE_BLOCKS = NR_DZONES + NR_INDIRECTS;
export const MAX_FILE_SIZE = MAX_FILE_BLOCKS * BLOCK_SIZE;
export const DIRENT_SIZE = 64;
/** Longest name in bytes (NAME_MAX counts bytes of the UTF-8 encoding). */
export const NAME_MAX_BYTES = NAME_MAX;
/** Bytes of a directory entry's name field: NUL-padded, unterminated when a name fills it (MINIX's DIRSIZ). */
export const DIRENT_NAME = DIRENT_SIZE - 4;
export const LINK_MAX = 127;
/** Upper bound on one getdents reply, whatever the caller's buffer. */
export const GETDENTS_MAX = 4096;
export const FS_DEV = 1;
