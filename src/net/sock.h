/* Thin POSIX socket helpers shared by the client and the server: the only
 * place besides them that knows about file descriptors. Internal header. */
#ifndef RSCP_NET_SOCK_H
#define RSCP_NET_SOCK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

/* Make fd non-blocking and close-on-exec; 0 or -1 with errno set. */
int rscp_net_prepare_fd(int fd);

/* Disable Nagle's algorithm (small request/response frames). Best effort. */
void rscp_net_nodelay(int fd);

/* send() that never raises SIGPIPE (MSG_NOSIGNAL) and retries EINTR.
 * Returns bytes sent, or -1 with errno set (EAGAIN when the socket is full). */
ssize_t rscp_net_send(int fd, const void *p, size_t n);

/* recv() retrying EINTR. Same returns as recv(). */
ssize_t rscp_net_recv(int fd, void *p, size_t n);

/* "192.0.2.1:5033" or "[2001:db8::1]:5033" into buf (always terminated). */
void rscp_net_format_addr(const struct sockaddr *sa, socklen_t len, char *buf, size_t cap);

/* Thread-safe strerror into buf; returns buf. */
const char *rscp_net_strerror(int errnum, char *buf, size_t cap);

/* malloc'd copy of s (NULL for NULL or when out of memory). */
char *rscp_net_strdup(const char *s);

/* Wipe and free a string copied with rscp_net_strdup(); NULL accepted. */
void rscp_net_free_secret(char *s);

/* Constant-time comparison of two byte strings (length is not secret). */
int rscp_net_equal(const void *a, size_t alen, const void *b, size_t blen);

#endif
