/*
 * tty.c - what seclog does differently on a terminal: colour (as grep and
 * git: a terminal, no NO_COLOR, not TERM=dumb, or --color) and a progress
 * line on stderr.  Output to files and pipes is the same bytes as without
 * this file: scripts and tests compare it.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "tty.h"

enum when { WHEN_AUTO, WHEN_ALWAYS, WHEN_NEVER };

static enum when color_when;
static int color_cache[2] = { -1, -1 };	/* stdout, stderr: decided once */

bool sl_color_when(const char *when)
{
	if (!strcmp(when, "auto"))
		color_when = WHEN_AUTO;
	else if (!strcmp(when, "always"))
		color_when = WHEN_ALWAYS;
	else if (!strcmp(when, "never"))
		color_when = WHEN_NEVER;
	else
		return false;
	color_cache[0] = color_cache[1] = -1;
	return true;
}

/* A terminal that takes escape sequences: Emacs' shell says TERM=dumb. */
static bool smart_tty(int fd)
{
	const char *term = getenv("TERM");

	return isatty(fd) && !(term && !strcmp(term, "dumb"));
}

static bool color_on(int fd)
{
	const char *no = getenv("NO_COLOR");

	if (color_when != WHEN_AUTO)
		return color_when == WHEN_ALWAYS;
	/* no-color.org: set and not empty, whatever its value */
	return !(no && *no) && smart_tty(fd);
}

const char *sl_color(FILE *f, const char *sgr)
{
	int fd = fileno(f), i = fd == STDOUT_FILENO ? 0 : fd == STDERR_FILENO ? 1 : -1;

	if (i < 0)
		return color_on(fd) ? sgr : "";
	if (color_cache[i] < 0)
		color_cache[i] = color_on(fd);
	return color_cache[i] ? sgr : "";
}

void sl_write_diff(FILE *f, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *nl, *sgr, *at;
	bool header = true;	/* before a file's first hunk */

	if (!*sl_color(f, SL_SGR_RESET)) {
		fwrite(text, 1, len, f);
		return;
	}
	for (; p < end; p = nl) {
		nl = memchr(p, '\n', (size_t)(end - p));
		nl = nl ? nl + 1 : end;
		sgr = NULL;
		if (!strncmp(p, "@@", 2) && (at = memmem(p + 2, (size_t)(nl - p - 2), "@@", 2))) {
			/* as git: the range in cyan, the context after it plain */
			header = false;
			fprintf(f, "%s%.*s%s", SL_SGR_CYAN, (int)(at + 2 - p), p, SL_SGR_RESET);
			fwrite(at + 2, 1, (size_t)(nl - at - 2), f);
			continue;
		}
		if (!strncmp(p, "--- ", 4) || !strncmp(p, "+++ ", 4) || !strncmp(p, "diff ", 5)) {
			if (header || !strncmp(p, "diff ", 5)) {
				header = true;
				sgr = SL_SGR_BOLD;
			}
		}
		if (!sgr && !header && *p == '+')
			sgr = SL_SGR_GREEN;
		else if (!sgr && !header && *p == '-')
			sgr = SL_SGR_RED;
		if (!sgr) {
			fwrite(p, 1, (size_t)(nl - p), f);
			continue;
		}
		/* the reset before the newline: a pager's line stays clean */
		fprintf(f, "%s%.*s%s", sgr, (int)(nl - p - (nl[-1] == '\n')), p, SL_SGR_RESET);
		if (nl[-1] == '\n')
			fputc('\n', f);
	}
}

/* The progress line */
#define PROGRESS_DELAY 0.5	/* a scan shorter than this shows nothing */
#define PROGRESS_EVERY 0.2	/* seconds between draws */

static bool progress_on, progress_shown;
static double progress_next;
static char progress_last[512];	/* the line shown: not drawn again */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void sl_progress_start(bool quiet)
{
	const char *env = getenv("SECLOG_PROGRESS_DELAY");
	double delay = PROGRESS_DELAY;
	char *end;

	progress_on = !quiet && smart_tty(STDERR_FILENO);
	progress_shown = false;
	if (env && *env) {
		double d = strtod(env, &end);

		if (!*end && d >= 0)
			delay = d;
	}
	progress_next = now() + delay;
}

bool sl_progress_due(void)
{
	double t;

	if (!progress_on)
		return false;
	t = now();
	if (t < progress_next)
		return false;
	progress_next = t + PROGRESS_EVERY;
	return true;
}

void sl_progress_show(const char *fmt, ...)
{
	struct winsize ws;
	char line[512];
	size_t width = 80, n;
	va_list ap;
	int len;

	if (!progress_on)
		return;
	va_start(ap, fmt);
	len = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (len < 0)
		return;
	/* a line that wraps cannot be taken back with \r */
	if (!ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) && ws.ws_col > 1)
		width = ws.ws_col;
	n = (size_t)len < sizeof(line) ? (size_t)len : sizeof(line) - 1;
	if (n > width - 1)
		n = width - 1;
	line[n] = '\0';
	if (progress_shown && !strcmp(line, progress_last))
		return;
	memcpy(progress_last, line, n + 1);
	fflush(stdout);
	fprintf(stderr, "\r%.*s\033[K", (int)n, line);
	fflush(stderr);
	progress_shown = true;
}

void sl_progress_clear(void)
{
	if (!progress_shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	progress_shown = false;
}

void sl_progress_end(void)
{
	sl_progress_clear();
	progress_on = false;
}

void sl_human_bytes(char *buf, size_t len, unsigned long long n)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB" };
	double v = (double)n;
	int i = -1;

	while (v >= 1024 && i < 3) {
		v /= 1024;
		i++;
	}
	if (i < 0)
		snprintf(buf, len, "%llu B", n);
	else
		snprintf(buf, len, "%.1f %s", v, unit[i]);
}
