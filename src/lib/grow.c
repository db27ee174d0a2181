/* SPDX-License-Identifier: GPL-2.0-or-later */
/* grow.c - arrays grown by doubling (see grow.h). */
#include "config.h"
#include "lib/grow.h"

#include <stdlib.h>

void *grow_array(void *array, size_t *cap, size_t n, size_t size, size_t first)
{
	if (n < *cap)
		return array;
	size_t ncap = *cap ? *cap * 2 : first;
	if (ncap < *cap) /* overflow */
		return NULL;
	void *p = reallocarray(array, ncap, size);
	if (p)
		*cap = ncap;
	return p;
}
