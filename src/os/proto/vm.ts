/*
 * The fixed layout of a user address space, in pages of PAGE_SIZE bytes
 * (text, data, heap growing up, mmap area, stack at the top), shared by VM,
 * which builds it, and libc, which uses it.
 *
 * The entry points into this file are: the layout constants (PAGE_SIZE,
 * VPAGES, NR_FRAMES and the first page and size of each area).
 */
export const PAGE_SIZE = 4096;
export const NR_FRAMES = 256;
/** Virtual pages per address space (256 KiB). Page 0 is never mapped (NULL). */
export const VPAGES = 64;

export const TEXT_PAGE = 1;
export const TEXT_PAGES = 2;
export const DATA_PAGE = 3;
export const DATA_PAGES = 3;
/** The heap starts right after the data segment and grows with brk. */
export const HEAP_PAGE = DATA_PAGE + DATA_PAGES;
/** Anonymous mmap regions are placed from here upwards; the heap may not grow into them. */
export const MMAP_BASE_PAGE = 24;
export const STACK_PAGES = 2;
export const STACK_PAGE = VPAGES - STACK_PAGES;
