/*
 * rotation.h - where a log file went: renamed aside by logrotate or auditd
 * (PATH.1, PATH-20261201), copied aside and truncated (copytruncate).  A
 * file is known again by its inode and a hash of its first bytes, so that
 * neither a reused inode nor a renumbered device fools it.
 */
#ifndef SL_ROTATION_H
#define SL_ROTATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

/* bytes of a file's start hashed to know it again */
#define SL_HEAD_MAX 1024
#define SL_HEAD_INIT 0xcbf29ce484222325ULL

/* A position in one file, and how to know that file again. */
struct sl_file_mark {
	uint64_t dev, ino;
	uint64_t off;		/* bytes of it already read */
	size_t head_n;		/* its first head_n bytes hash to head */
	uint64_t head;
};

/* Go on hashing (FNV-1a 64) n more bytes; start from SL_HEAD_INIT. */
uint64_t sl_head_hash(uint64_t h, const void *p, size_t n);

/* Do fd's first m->head_n bytes hash to m->head? (pread; no head: yes) */
bool sl_file_head_is(int fd, const struct sl_file_mark *m);

/* The checkpoint line of a mark, allocated: "dev=D ino=I off=O head=N:H". */
char *sl_file_mark_format(const struct sl_file_mark *m);

/* Parse one (unknown keys are skipped).  0, or -EINVAL. */
int sl_file_mark_parse(const char *line, struct sl_file_mark *m);

/*
 * Is the file open at fd (st its fstat) the one m was taken in: the same
 * inode (and device, or when the device was renumbered, the same first
 * bytes) with the same first bytes?  Its size is not looked at.
 */
bool sl_file_is(int fd, const struct stat *st, const struct sl_file_mark *m);

/*
 * A rotated sibling of path (PATH.N, PATH-DATE: a name that is path's
 * followed by '.', '-' or '_' and digits, dots, dashes, underscores; so
 * never a compressed one) that is m's file: by inode when !copy, else
 * another inode with m's first bytes (copytruncate's copy; the newest if
 * several).  Returns its opened fd with *st, or -1.
 */
int sl_rotation_find(const char *path, const struct sl_file_mark *m, bool copy, struct stat *st);

/*
 * The rotated siblings of path written after old (mtime not older), other
 * than old and cur (the files being read), oldest first: rotations that
 * came between.  Opens up to max of them into fds; returns how many.
 */
size_t sl_rotation_after(const char *path, const struct stat *old, const struct stat *cur,
			 int *fds, size_t max);

#endif
