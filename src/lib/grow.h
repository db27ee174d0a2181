/* SPDX-License-Identifier: GPL-2.0-or-later */
/* grow.h - the one way an array grows here: by doubling, so that adding N
 * elements costs O(N) copies in all. */
#ifndef MQTOOLS_GROW_H
#define MQTOOLS_GROW_H

#include <stddef.h>

/* ARRAY (of *CAP elements of SIZE bytes, N of them used) with room for one
 * more: as it is while N < *CAP, else reallocated to twice *CAP (FIRST
 * elements the first time) and *CAP updated. Returns the array, maybe
 * moved, or NULL when out of memory: ARRAY and *CAP are then as they were. */
void *grow_array(void *array, size_t *cap, size_t n, size_t size, size_t first);

#endif
