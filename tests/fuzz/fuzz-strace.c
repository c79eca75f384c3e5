/*
 * fuzz-strace.c - strace output, line by line, into a harvest.
 * Invariants: every line is taken one way (lines = calls + rows +
 * personality lines + other + unread + foreign); a call has a name
 * strace could print; what the calls count reaches the harvest, as
 * matched or as a name no arch has (records = the calls' counts, none
 * filtered without a filter); the same input gives the same result twice.
 */
#include "config.h"

#include <string.h>

#include "fuzz.h"
#include "harvest.h"
#include "strace.h"

struct run {
	struct sl_strace_stats stats;
	uint64_t counted, records, matched;
	size_t nhits, nprocs, nimages;
};

static void feed(const uint8_t *data, size_t size, struct run *r)
{
	const char *p = (const char *)data, *end = p + size, *nl;
	struct sl_strace_call call;
	struct sl_harvest h;
	struct sl_strace st;
	uint64_t lines = 0;
	size_t i;

	memset(r, 0, sizeof(*r));
	sl_harvest_init(&h);
	sl_strace_init(&st, sl_arch_by_name("x86_64"));
	/* bytes 1: a -ff file's pid or not */
	sl_strace_begin(&st, size && (data[0] & 1) ? 4242 : 0);
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		lines++;
		if (sl_strace_line(&st, p, (size_t)(nl - p), &call)) {
			FUZZ_CHECK(call.name && *call.name && strlen(call.name) < SL_STRACE_NAME_MAX,
				   "a call without a name");
			for (i = 0; call.name[i]; i++)
				FUZZ_CHECK(strchr("abcdefghijklmnopqrstuvwxyz0123456789_#", call.name[i]),
					   "name '%s'", call.name);
			FUZZ_CHECK(call.count > 0, "a call counted 0 times");
			FUZZ_CHECK(call.pers < st.npers, "personality %u", call.pers);
			FUZZ_CHECK((call.proc == SL_STRACE_NONE) == (call.image == SL_STRACE_NONE),
				   "a row with a process, or a call without");
			FUZZ_CHECK(call.proc == SL_STRACE_NONE || call.proc < st.nprocs,
				   "process %zu of %zu", call.proc, st.nprocs);
			r->counted += call.count;
			sl_strace_add(&st, &call);
		}
		p = nl + 1;
	}
	FUZZ_CHECK(st.stats.lines == lines, "%llu lines taken of %llu",
		   (unsigned long long)st.stats.lines, (unsigned long long)lines);
	FUZZ_CHECK(st.stats.lines == st.stats.calls + st.stats.rows + st.stats.switches +
		   st.stats.other + st.stats.unread + st.stats.foreign,
		   "lines %llu: calls %llu rows %llu switches %llu other %llu unread %llu "
		   "foreign %llu", (unsigned long long)st.stats.lines,
		   (unsigned long long)st.stats.calls, (unsigned long long)st.stats.rows,
		   (unsigned long long)st.stats.switches, (unsigned long long)st.stats.other,
		   (unsigned long long)st.stats.unread, (unsigned long long)st.stats.foreign);
	for (i = 0; i < st.nprocs; i++) {
		FUZZ_CHECK(st.procs[i].leader < st.nprocs && st.procs[i].image < st.nimages,
			   "process %zu's leader or image", i);
		FUZZ_CHECK(st.images[st.procs[i].image].proc == i, "image of another process");
	}
	sl_strace_harvest(&st, &h, false);
	FUZZ_CHECK(h.records == r->counted, "records %llu, calls %llu",
		   (unsigned long long)h.records, (unsigned long long)r->counted);
	FUZZ_CHECK(h.filtered == 0 && h.matched <= h.records, "filtered %llu matched %llu",
		   (unsigned long long)h.filtered, (unsigned long long)h.matched);
	sl_harvest_finish(&h);
	r->stats = st.stats;
	r->records = h.records;
	r->matched = h.matched;
	r->nhits = h.nhits;
	r->nprocs = st.nprocs;
	r->nimages = st.nimages;
	sl_harvest_free(&h);
	sl_strace_free(&st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct run a, b;

	if (size > 1 << 16)
		return 0;
	feed(data, size, &a);
	feed(data, size, &b);
	FUZZ_CHECK(!memcmp(&a, &b, sizeof(a)), "a second read differs");
	return 0;
}
