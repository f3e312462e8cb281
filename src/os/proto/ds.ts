/*
 * Data store (DS) protocol constants shared by libc and the DS server:
 * value types, publish/subscribe flags and the size limits DS enforces.
 *
 * The entry points into this file are:
 *   DSF_TYPE_*                                 the value types
 *   DSF_OVERWRITE, DSF_PRIVATE, DSF_INITIAL    publish and subscribe flags
 *   DS_MAX_*                                   the limits on keys and values
 */

/* Value types (exactly one per entry). */
export const DSF_TYPE_U32 = 0x1;
export const DSF_TYPE_STR = 0x2;
export const DSF_TYPE_MEM = 0x4;
export const DSF_TYPE_MASK = DSF_TYPE_U32 | DSF_TYPE_STR | DSF_TYPE_MEM;

/** Publish: replace an existing entry of the same owner and type. Subscribe: replace an existing subscription. */
export const DSF_OVERWRITE = 0x100;
/** Publish: only the owner may retrieve the entry; other subscribers are not told about it. */
export const DSF_PRIVATE = 0x200;
/** Subscribe: report every key that already matches as updated. */
export const DSF_INITIAL = 0x800;

/** Longest key or subscription pattern, in bytes of UTF-8. */
export const DS_MAX_KEYLEN = 255;
/** Largest memory value, in bytes. */
export const DS_MAX_MEM = 1024;
/** Longest string value, in UTF-16 code units. */
export const DS_MAX_STRLEN = 1024;
