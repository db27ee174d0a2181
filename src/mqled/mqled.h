/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mqled.h - what mqled's main hands to the parts below it: the credentials
 * of an mqtt:// controller or client, read and checked by main. */
#ifndef MQTOOLS_MQLED_H
#define MQTOOLS_MQLED_H

/* MQTOOLS_PASSWORD or --password-file's first line, MQTOOLS_CAFILE,
 * MQTOOLS_CERT, MQTOOLS_KEY; NULL when not given. */
struct mqled_credentials {
	const char *password;
	const char *tls_cafile, *tls_cert, *tls_key;
};

#endif
