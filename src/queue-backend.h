/* queue-backend.h - what a kind of queue implements behind queue.h.
 * Private to queue.c, queue-posix.c and queue-sysv.c. */
#ifndef MQTOOLS_QUEUE_BACKEND_H
#define MQTOOLS_QUEUE_BACKEND_H

#include "queue.h"

struct queue {
	const struct queue_backend *ops;
	struct queue_address addr;
	char name[NAME_MAX + 16];
	bool created;
	size_t max_message;
	int fd;           /* POSIX: the mqd_t; System V: -1 */
	int id;           /* System V: msqid */
	char *buf;        /* receive buffer (System V: with the mtype header) */
	size_t buf_size;
	int watch_fd;     /* POSIX: inotify watch to notice removal, or -1 */
	int access;       /* QUEUE_READ | QUEUE_WRITE as opened */
	int64_t next_removal_check; /* monotonic ns: queue_send checks removal from then on */
};

struct queue_backend {
	int (*open)(struct queue *q, const struct queue_open_options *opt);
	int (*send)(struct queue *q, const void *data, size_t len, long priority, const struct queue_wait *w);
	/* DATA has QUEUE_SEND_HEADROOM bytes before it to overwrite */
	int (*send_headroom)(struct queue *q, char *data, size_t len, long priority, const struct queue_wait *w);
	int (*receive)(struct queue *q, struct queue_message *m, const struct queue_select *sel, const struct queue_wait *w);
	int (*peek)(struct queue *q, size_t index, struct queue_message *m);
	/* optional: wait for a message without taking it (queue_wait_message) */
	int (*wait_message)(struct queue *q, const struct queue_wait *w);
	int (*stat_address)(const struct queue_address *addr, struct queue_info *info);
	int (*enumerate)(unsigned want, int (*fn)(const struct queue_info *info, void *arg), void *arg);
	int (*remove)(const struct queue_address *addr);
	void (*close)(struct queue *q);
	/* optional: true once the open queue is known to be removed */
	bool (*removed)(struct queue *q);
	/* optional: how many messages a removed queue still holds (0 when it
	 * is not removed, or empty: all it took was received) */
	long (*stranded)(struct queue *q);
};

extern const struct queue_backend queue_posix_backend;
extern const struct queue_backend queue_sysv_backend;

/* A precise reason a backend leaves for queue_error() (which limit an
 * attribute broke, say); printed instead of the generic wording. */
extern char queue_error_detail[256];

/* Whether this process has capability CAP (a bit number) in effect where the
 * kernel counts it for IPC limits: in the initial user namespace. */
bool have_capability(int cap);
#define CAP_SYS_RESOURCE_BIT 24

/* Grow Q's receive buffer to at least SIZE bytes. 0 or -ENOMEM. */
int queue_reserve_buffer(struct queue *q, size_t size);

/* queue_change() and queue_change_address(), per kind: the descriptor (POSIX)
 * or identifier (System V) of an open queue, or -1 to find it by ADDR. */
int queue_posix_change(const struct queue_address *addr, int fd, const struct queue_change *c);
int queue_sysv_change(const struct queue_address *addr, int id, const struct queue_change *c);

#endif
