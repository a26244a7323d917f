/* Site naming: paths relative to the start directory, stable pipe/socket
 * names, and the stream index. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "core/site.h"

static const char *norm(const char *in, const char *cwd)
{
	static char buf[4200];
	snprintf(buf, sizeof(buf), "%s", in);
	ff_path_normalize(buf, sizeof(buf), cwd);
	printf("%s (cwd %s) -> %s\n", in, cwd, buf);
	return buf;
}

Test(site, paths_are_relative_to_the_start_directory)
{
	cr_assert_str_eq(norm("/tmp/run1/test.txt", "/tmp/run1"), "test.txt");
	cr_assert_str_eq(norm("/tmp/run1/sub/a.db", "/tmp/run1"), "sub/a.db");
	cr_assert_str_eq(norm("/tmp/run1", "/tmp/run1"), ".");
	cr_assert_str_eq(norm("/tmp/run10/x", "/tmp/run1"), "/tmp/run10/x",
			 "a sibling with a common prefix stays absolute");
	cr_assert_str_eq(norm("/etc/passwd", "/tmp/run1"), "/etc/passwd");
	cr_assert_str_eq(norm("/var/x", "/"), "var/x");
}

Test(site, pipes_and_sockets_lose_their_inode)
{
	cr_assert_str_eq(norm("pipe:[123456]", "/tmp"), "pipe:");
	cr_assert_str_eq(norm("socket:[99]", "/tmp"), "socket:");
	cr_assert_str_eq(norm("anon_inode:[eventfd]", "/tmp"), "anon_inode:[eventfd]");
}

Test(site, the_index_finds_each_stream_once)
{
	struct ff_trace t = {0};
	struct ff_sites s;
	ff_sites_init(&s, &t);
	char p[64];
	for (int round = 0; round < 3; round++)
		for (int i = 0; i < 500; i++) {
			snprintf(p, sizeof(p), "file%d", i);
			size_t k = ff_sites_get(&s, i % 2 ? "write" : "pwrite64", p, 100);
			cr_assert_str_eq(t.streams[k].path, p);
		}
	printf("500 sites x 3 rounds -> %zu streams\n", t.nstreams);
	cr_assert_eq(t.nstreams, 500);
	cr_assert(!s.multi[0]);
	ff_sites_get(&s, "pwrite64", "file0", 101);
	cr_assert(s.multi[0], "a second tid marks the stream as multi-writer");

	struct ff_site_index ix;
	ff_site_index_build(&ix, &t);
	cr_assert_eq(ff_site_index_find(&ix, &t, "write", "file7"), 7);
	cr_assert_eq(ff_site_index_find(&ix, &t, "pwrite64", "file7"), -1);
	ff_site_index_free(&ix);
	ff_sites_free(&s);
	ff_trace_free(&t);
}

static const char *clean(const char *in)
{
	static char buf[256];
	snprintf(buf, sizeof(buf), "%s", in);
	ff_path_clean(buf);
	printf("clean %s -> %s\n", in, buf);
	return buf;
}

Test(site, paths_are_cleaned_lexically)
{
	cr_assert_str_eq(clean("/tmp/run//./a.txt"), "/tmp/run/a.txt");
	cr_assert_str_eq(clean("/tmp/run/sub/../a.txt"), "/tmp/run/a.txt");
	cr_assert_str_eq(clean("/../x"), "/x");
	cr_assert_str_eq(clean("/a/b/.."), "/a");
	cr_assert_str_eq(clean("/"), "/");
	cr_assert_str_eq(clean("/a/./"), "/a");
}

Test(site, globs_match_paths_and_basenames)
{
	char *g1[] = {"*.db"};
	char *g2[] = {"data/*"};
	char *g3[] = {"/etc/*", "wal-[0-9]*"};
	cr_assert(ff_path_match("x.db", g1, 1));
	cr_assert(ff_path_match("sub/dir/x.db", g1, 1), "no '/' in the glob: the basename matches");
	cr_assert(!ff_path_match("x.dbx", g1, 1));
	cr_assert(ff_path_match("data/x", g2, 1));
	cr_assert(ff_path_match("data/sub/x", g2, 1), "'*' crosses '/' (no FNM_PATHNAME)");
	cr_assert(!ff_path_match("other/data/x", g2, 1));
	cr_assert(ff_path_match("/etc/passwd", g3, 2));
	cr_assert(ff_path_match("log/wal-0003", g3, 2));
	cr_assert(!ff_path_match("log/wal-x", g3, 2));
}
