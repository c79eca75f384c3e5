/* tty.h - the terminal: colour when output is one, a progress line on stderr */
#ifndef SL_TTY_H
#define SL_TTY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* SGR sequences for sl_color() */
#define SL_SGR_BOLD "\033[1m"
#define SL_SGR_RED "\033[31m"
#define SL_SGR_GREEN "\033[32m"
#define SL_SGR_YELLOW "\033[33m"
#define SL_SGR_CYAN "\033[36m"
#define SL_SGR_BOLD_RED "\033[1;31m"
#define SL_SGR_BOLD_GREEN "\033[1;32m"
#define SL_SGR_BOLD_CYAN "\033[1;36m"
#define SL_SGR_BOLD_YELLOW "\033[1;33m"
#define SL_SGR_RESET "\033[m"

/* seclog --color=WHEN: auto, always or never; false for anything else. */
bool sl_color_when(const char *when);

/*
 * sgr if f (stdout or stderr) gets colour, else "": with --color=auto (the
 * default) when f is a terminal, NO_COLOR is unset or empty and TERM is not
 * dumb.  A reset is sl_color(f, SL_SGR_RESET).
 */
const char *sl_color(FILE *f, const char *sgr);

/* Write a unified diff to f, coloured as git does when f gets colour. */
void sl_write_diff(FILE *f, const char *text, size_t len);

/*
 * The progress line: one line on stderr, rewritten in place, only when
 * stderr is a terminal and the command is not quiet; it first shows after
 * SECLOG_PROGRESS_DELAY seconds (0.5; tests set it) and is erased before
 * any message.  sl_progress_start() decides and starts the clock.
 */
void sl_progress_start(bool quiet);
/* Time to draw again (at most 5 times a second)?  Reads the clock. */
bool sl_progress_due(void);
void sl_progress_show(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Erase the line if it is shown (sl_err and sl_warn call it). */
void sl_progress_clear(void);
/* Erase it and draw no more. */
void sl_progress_end(void);

/* "12.3 MiB" into buf */
void sl_human_bytes(char *buf, size_t len, unsigned long long n);

#endif
