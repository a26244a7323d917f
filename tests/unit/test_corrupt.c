/* Corrupted reads: where the damage goes, what it writes, and how the trace
 * keeps it (format 4). */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/corrupt.h"
#include "core/decide/decide.h"
#include "core/trace/trace.h"

static struct ff_decision planned(uint8_t mode, uint64_t draw, uint64_t ret, uint64_t foff)
{
	struct ff_decision d = {.kind = FF_CORRUPT, .mode = mode, .key = draw};
	ff_corrupt_plan(&d, ret, foff);
	return d;
}

Test(corrupt, flip_is_one_bit_of_one_returned_byte)
{
	for (uint64_t draw = 0; draw < 5000; draw += 7) {
		struct ff_decision d = planned(FF_CM_FLIP, draw * 0x9e3779b97f4a7c15ull, 1000, 0);
		cr_assert(d.planned && d.n == 1 && d.off < 1000 && d.key < 8, "draw %lu: off %lu n %lu key %lu",
			  (unsigned long)draw, (unsigned long)d.off, (unsigned long)d.n, (unsigned long)d.key);
	}
	uint8_t b[1] = {0x10};
	ff_corrupt_bytes(FF_CM_FLIP, 4, b, 1);
	cr_expect_eq(b[0], 0x00);
}

Test(corrupt, blocks_are_aligned_on_the_file_and_clipped_to_the_bytes_returned)
{
	/* 4096 bytes from file offset 100: blocks of the file start at 512, 1024 ...;
	 * the first (0..511) is clipped to its last 412 bytes, the last to 100. */
	int seen_first = 0, seen_last = 0;
	for (uint64_t draw = 0; draw < 9; draw++) {
		struct ff_decision d = planned(FF_CM_ZERO, draw, 4096, 100);
		cr_assert(d.n >= 1 && d.n <= 512 && d.off + d.n <= 4096, "draw %lu", (unsigned long)draw);
		cr_expect(d.off == 0 || (d.off + 100) % 512 == 0, "block at %lu is not aligned", (unsigned long)d.off);
		cr_expect_eq(d.key, 0, "a zeroed block has no key");
		seen_first |= d.off == 0 && d.n == 412;
		seen_last |= d.off == 3996 && d.n == 100;
	}
	cr_expect(seen_first && seen_last, "the clipped first and last blocks were never chosen");
	struct ff_decision eof = planned(FF_CM_GARBAGE, 12345, 0, 0);
	cr_expect(eof.n == 0 && eof.off == 0 && eof.key == 0, "a read of nothing gets no damage");
}

Test(corrupt, garbage_bytes_are_pinned)
{
	struct ff_decision d = planned(FF_CM_GARBAGE, 1234, 512, 0);
	cr_assert(d.off == 0 && d.n == 512 && d.key != 0);
	uint8_t a[16] = {0}, b[16] = {0};
	ff_corrupt_bytes(FF_CM_GARBAGE, 1, a, sizeof(a));
	ff_corrupt_bytes(FF_CM_GARBAGE, 1, b, sizeof(b));
	cr_expect(!memcmp(a, b, sizeof(a)), "the same key gives the same bytes");
	ff_corrupt_bytes(FF_CM_GARBAGE, 2, b, sizeof(b));
	cr_expect(memcmp(a, b, sizeof(a)), "another key gives other bytes");
	uint8_t z[4] = {1, 2, 3, 4};
	ff_corrupt_bytes(FF_CM_ZERO, 0, z, sizeof(z));
	cr_expect(!z[0] && !z[1] && !z[2] && !z[3]);
}

Test(corrupt, the_seeded_generator_picks_corrupt_only_when_allowed)
{
	struct ff_seeded s = {.seed = 1234, .rate_q = UINT32_MAX};
	struct ff_call c = {.sc = FF_SC_read, .path = "data.bin", .len = 4096, .kinds = FF_K(FF_CORRUPT)};
	struct ff_decision d;
	int modes[4] = {0};
	for (c.ordinal = 0; c.ordinal < 60; c.ordinal++) {
		ff_decide_seeded(&s, &c, &d);
		cr_assert_eq(d.kind, FF_CORRUPT);
		cr_assert(d.mode >= 1 && d.mode <= 3 && !d.planned);
		modes[d.mode]++;
	}
	cr_expect(modes[1] && modes[2] && modes[3], "a seeded mix uses every mode");
	c.cmode = FF_CM_ZERO;
	ff_decide_seeded(&s, &c, &d);
	cr_expect_eq(d.mode, FF_CM_ZERO, "--corrupt-mode zero");
	c.len = 0;
	ff_decide_seeded(&s, &c, &d);
	cr_expect_eq(d.kind, FF_PASS, "a read of 0 bytes has nothing to damage");
}

static int roundtrip(const struct ff_item *in, struct ff_item *out, char *err, size_t errlen, uint16_t *min_reader)
{
	struct ff_trace t = {0}, u;
	struct ff_stream *s = ff_trace_add_stream(&t, "read", "data.bin");
	ff_stream_add(s, FF_ERROR, EIO, 0, 1);
	s->items[0] = *in;
	uint8_t *buf = NULL;
	size_t len;
	int rc = ff_trace_encode(&t, &buf, &len);
	ff_trace_free(&t);
	if (rc < 0)
		return rc;
	*min_reader = (uint16_t)(buf[10] | buf[11] << 8);
	rc = ff_trace_decode(buf, len, &u, err, errlen);
	free(buf);
	if (rc == 0)
		*out = u.streams[0].items[0];
	ff_trace_free(&u);
	return rc;
}

Test(corrupt, items_round_trip_and_need_format_4)
{
	struct ff_item in = {.kind = FF_CORRUPT,
			     .count = 1,
			     .len = 4096,
			     .mode = FF_CM_GARBAGE,
			     .off = 1024,
			     .n = 512,
			     .key = 0xfedcba9876543210ull},
		       out = {0};
	char err[256] = "";
	uint16_t mr = 0;
	cr_assert_eq(roundtrip(&in, &out, err, sizeof(err), &mr), 0, "refused: %s", err);
	cr_expect_eq(mr, 4, "min_reader %u", mr);
	cr_expect(out.kind == FF_CORRUPT && out.mode == in.mode && out.off == in.off && out.n == in.n &&
		      out.key == in.key && out.len == in.len,
		  "the item changed on the way");
}

Test(corrupt, bad_items_are_refused_by_writer_and_reader)
{
	static const struct {
		uint8_t mode;
		uint64_t off, n, len, key;
		const char *what;
	} bad[] = {
	    {0, 0, 1, 10, 0, "mode 0"},
	    {4, 0, 1, 10, 0, "mode 4"},
	    {FF_CM_FLIP, 0, 2, 10, 1, "a flip of two bytes"},
	    {FF_CM_FLIP, 0, 1, 10, 8, "a flip of bit 8"},
	    {FF_CM_ZERO, 8, 4, 10, 0, "past the length"},
	    {FF_CM_ZERO, 0, 513, 1000, 0, "a block of 513"},
	    {FF_CM_ZERO, 0, 4, 10, 9, "a zero block with a key"},
	    {FF_CM_GARBAGE, 3, 0, 10, 0, "nothing damaged at offset 3"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ff_item it = {.kind = FF_CORRUPT,
				     .count = 1,
				     .mode = bad[i].mode,
				     .off = bad[i].off,
				     .n = bad[i].n,
				     .len = bad[i].len,
				     .key = bad[i].key};
		cr_expect(ff_item_invalid(&it) != NULL, "%s: accepted", bad[i].what);
	}
	struct ff_item errkey = {.kind = FF_ERROR, .count = 1, .err = EIO, .key = 3};
	cr_expect(ff_item_invalid(&errkey) != NULL, "an error item with a key: accepted");
}

/* ---- stack sites (format 4): the mode, the depth and the contexts' text */

static struct ff_trace stack_trace(void)
{
	struct ff_trace t = {0};
	t.hdr.site_mode = FF_SITE_STACK;
	t.hdr.site_depth = 16;
	t.complete = 1;
	ff_stream_add(ff_trace_add_stream(&t, "write", "data.db @00000000000000ff"), FF_ERROR, 5, 0, 13);
	ff_stream_add(ff_trace_add_stream(&t, "write", "data.db @0000000000000010"), FF_PASS, 0, 0, 9);
	ff_trace_add_context(&t, 0xff, "put<-write_header<-main");
	ff_trace_add_context(&t, 0x10, "put<-write_record<-main");
	ff_trace_add_context(&t, 0x10, "a duplicate is dropped");
	return t;
}

Test(stack_sites, contexts_round_trip_sorted_and_need_format_4)
{
	struct ff_trace t = stack_trace(), u;
	uint8_t *buf = NULL, *buf2 = NULL;
	size_t len, len2;
	char err[256] = "";
	cr_assert_eq(ff_trace_encode(&t, &buf, &len), 0);
	cr_expect_eq(buf[10], 4, "min_reader %u", buf[10]);
	cr_assert_eq(ff_trace_decode(buf, len, &u, err, sizeof(err)), 0, "refused: %s", err);
	cr_expect(u.hdr.site_mode == FF_SITE_STACK && u.hdr.site_depth == 16);
	cr_assert_eq(u.ncontexts, 2);
	cr_expect(u.contexts[0].hash == 0x10 && !strcmp(u.contexts[0].frames, "put<-write_record<-main"));
	cr_expect(!strcmp(ff_trace_context(&u, 0xff), "put<-write_header<-main"));
	cr_assert_eq(ff_trace_encode(&u, &buf2, &len2), 0);
	cr_expect(len == len2 && !memcmp(buf, buf2, len), "the encoding is not canonical");
	free(buf);
	free(buf2);
	ff_trace_free(&t);
	ff_trace_free(&u);
}

Test(stack_sites, site_paths_split_into_path_and_hash)
{
	uint64_t h = 0;
	cr_expect_eq(ff_site_split("data.db @00000000000000ff", &h), 7);
	cr_expect_eq(h, 0xff);
	cr_expect_eq(ff_site_split("a b @0123456789abcdef", &h), 3);
	cr_expect_eq(h, 0x0123456789abcdefull);
	cr_expect_eq(ff_site_split("data.db", &h), -1);
	cr_expect_eq(ff_site_split("x @0123456789ABCDEF", &h), -1, "upper case is not what the recorder writes");
	cr_expect_eq(ff_site_split("x@0123456789abcdef", &h), -1);
}
