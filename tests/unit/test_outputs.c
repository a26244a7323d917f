/* The corruption oracle's reference (core/campaign/outputs.c) and site patterns for
 * names drawn at random (core/site_pattern.c). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/campaign/outputs.h"
#include "core/site.h"
#include "core/util.h"

/* A manifest from "name:hash:size" words ("" names stdout). */
static void make(struct ff_manifest *m, const char *const *words, size_t n)
{
	m->n = n;
	m->v = ff_xcalloc(n + 1, sizeof(*m->v));
	for (size_t i = 0; i < n; i++) {
		char name[64];
		unsigned long long h, sz;
		cr_assert_eq(sscanf(words[i], "%63[^:]:%llu:%llu", name, &h, &sz) == 3 || words[i][0] == ':', 1);
		if (words[i][0] == ':') {
			cr_assert_eq(sscanf(words[i], ":%llu:%llu", &h, &sz), 2);
			name[0] = 0;
		}
		m->v[i] = (struct ff_mentry){
		    .rel = ff_xstrdup(name), .type = name[0] ? FF_ME_FILE : FF_ME_STDOUT, .val = h, .size = sz};
	}
}

Test(outputs, learn_then_diff_skips_what_varies)
{
	struct ff_manifest ref, second, run;
	const char *a[] = {":1:10", "a.zip:5:100", "data:7:70", "pid.1234:9:4"};
	const char *b[] = {":1:10", "a.zip:6:100", "data:7:70", "pid.999:9:4"};
	make(&ref, a, 4);
	make(&second, b, 4);
	char names[200];
	size_t n = ff_outputs_learn(&ref, &second, names, sizeof(names));
	printf("learned %zu: %s\n", n, names);
	cr_assert_eq(n, 3, "a.zip's content, pid.1234 and pid.999's presence");
	cr_assert(strstr(names, "a.zip") && strstr(names, "pid.999"), "%s", names);

	/* the same size with other content in a.zip: fine; data damaged: a difference */
	const char *c[] = {":1:10", "a.zip:8:100", "data:3:70", "pid.5:9:4"};
	make(&run, c, 4);
	char why[400];
	cr_assert_eq(ff_outputs_diff(&ref, &run, why, sizeof(why)), 2, "data, and the new pid.5: %s", why);
	printf("first difference: %s\n", why);
	cr_assert(strstr(why, "data: 70 bytes, 70 without faults, other content"), "%s", why);
	ff_manifest_free(&run);

	/* a.zip cut short: its size is still compared */
	const char *d[] = {":1:10", "a.zip:8:60", "data:7:70", "pid.1234:9:4"};
	make(&run, d, 4);
	cr_assert_eq(ff_outputs_diff(&ref, &run, why, sizeof(why)), 1);
	printf("first difference: %s\n", why);
	cr_assert(strstr(why, "a.zip: 60 bytes, 100 without faults (its content varies"), "%s", why);
	ff_manifest_free(&run);

	/* stdout lost */
	const char *e[] = {"a.zip:5:100", "data:7:70"};
	make(&run, e, 2);
	cr_assert_eq(ff_outputs_diff(&ref, &run, why, sizeof(why)), 1);
	cr_assert(strstr(why, "(stdout): missing"), "%s", why);
	ff_manifest_free(&run);
	ff_manifest_free(&ref);
	ff_manifest_free(&second);
}

Test(outputs, merge_and_files_round_trip)
{
	struct ff_manifest ref, other, back;
	const char *a[] = {"x:1:1", "y:2:2"};
	make(&ref, a, 2);
	make(&other, a, 2);
	other.v[1].flags = FF_VARY_CONTENT;
	cr_assert_eq(ff_outputs_merge(&ref, &other, NULL, 0), 1);
	cr_assert_eq(ff_outputs_merge(&ref, &other, NULL, 0), 0, "nothing new the second time");
	char path[] = "/tmp/fifuzz-manifest.XXXXXX";
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	close(fd);
	cr_assert_eq(ff_outputs_save(path, &ref), 0);
	cr_assert_eq(ff_outputs_load(path, &back), 0);
	cr_assert_eq(back.n, 2);
	cr_assert_str_eq(back.v[1].rel, "y");
	cr_assert_eq(back.v[1].flags, FF_VARY_CONTENT);
	FILE *f = fopen(path, "w");
	fputs("not a manifest", f);
	fclose(f);
	cr_assert_eq(ff_outputs_load(path, &back) < 0 ? 1 : 0, 1, "a foreign file is refused");
	unlink(path);
	ff_manifest_free(&ref);
	ff_manifest_free(&other);
}

Test(site_pattern, drawn_names_become_patterns)
{
	static const char *const cases[][3] = {
	    {"tmp_obj_Ab3dE1", "tmp_obj_x9Pq2Z", "tmp_obj_*"},
	    {"tmp_obj_Ab3dE1", "tmp_obj_Ax9Pq2", "tmp_obj_*"}, /* a letter shared by chance */
	    {"sedAb3dE1", "sedQ8xk2P", "sed*"},
	    {".git/objects/pack/tmp_pack_Ab3dE1", ".git/objects/pack/tmp_pack_Zz0011", ".git/objects/pack/tmp_pack_*"},
	    {"tmp.53wFQ49f12", "tmp.SRDgki38af", "tmp.*"},
	    {"data.json.2912345678", "data.json.123456789", "data.json.*"},
	    {"tmpAb3dE1/out.txt", "tmpx9Pq2Z/out.txt", "tmp*/out.txt"},
	    {"f-Ab3dE1.tmp", "f-x9Pq2Z.tmp", "f-*.tmp"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[256];
		cr_assert_eq(ff_site_pattern_of(cases[i][0], cases[i][1], out, sizeof(out)), 0, "%s", cases[i][0]);
		printf("%s + %s -> %s\n", cases[i][0], cases[i][1], out);
		cr_assert_str_eq(out, cases[i][2]);
		cr_assert_str_eq(ff_site_pattern((char *[]){out}, 1, cases[i][0]), out);
	}
	static const char *const not [][2] = {
	    {"a.txt", "b.txt"},		  /* too short to be drawn */
	    {"Ab3dE1", "x9Pq2Z"},	  /* nothing fixed beside it */
	    {"out.1", "out.12"},	  /* a prefix */
	    {"dir1/a.txt", "dir2/b.txt"}, /* two components */
	    {"report-2026.txt", "summary.txt"},
	};
	for (size_t i = 0; i < sizeof(not ) / sizeof(not [0]); i++) {
		char out[256];
		cr_assert_eq(ff_site_pattern_of(not [i][0], not [i][1], out, sizeof(out)), -1, "%s %s -> %s",
			     not [i][0], not [i][1], out);
	}
	cr_assert_str_eq(ff_site_pattern((char *[]){"tmp_*"}, 1, "sub/tmp_Ab3dE1"), "sub/tmp_Ab3dE1",
			 "'*' stays in one component");
}
