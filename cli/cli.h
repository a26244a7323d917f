/* The command line's internals, shared by its files: option parsing
 * (cli/options.c) and one file per command group. Only the CLI prints and
 * exits; everything here may call ff_die. */
#ifndef FF_CLI_INTERNAL_H
#define FF_CLI_INTERNAL_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/config.h"
#include "core/campaign/sweep.h"
#include "core/run.h"
#include "core/trace/trace.h"

#define DEFAULT_RATE 0.1

enum cmd { CMD_RUN, CMD_REPLAY, CMD_SHOW, CMD_CAMPAIGN, CMD_MINIMIZE };

/* What campaign and minimize take beyond a run's options. */
struct extra {
	bool json;
	bool have_seed, have_trace;
	uint64_t first, last;
	bool have_seeds, have_runs;
	uint64_t runs;
	int jobs;
	const char *template_dir;
	uint64_t stop_after;
	bool no_minimize;
	double min_time; /* --min-time, 0 when not given */
	unsigned shard_i, shard_n;
	struct ff_sweep_opts sweep;
	bool fs_all; /* --fs all (campaign): one campaign per file-system profile */
};

/* cli/schedule.c */
struct ff_source;
/* Loads --schedule into src, the source that re-reads the test case at each
 * forkserver run (and --split-input's input into a temporary file that
 * replaces "@@" or the schedule's own path in the program's arguments, or
 * becomes its stdin: *tmp_input, or NULL). Dies on bad input. */
void ff_cli_schedule_load(struct ff_config *cfg, struct ff_source *src, char **tmp_input);
/* The loaded schedule's length in bytes. */
size_t ff_cli_schedule_len(void);
void ff_cli_schedule_free(void);

extern const char *const ff_cli_class_names[6];

/* cli/option_values.c: each dies (exit 2) on a bad value, naming opt. */
void ff_cli_parse_range(const char *s, uint64_t *a, uint64_t *b);
uint64_t ff_cli_parse_seed(const char *s);
double ff_cli_parse_prob(const char *s);
uint64_t ff_cli_parse_count(const char *opt, const char *s);
double ff_cli_parse_timeout(const char *s);
void ff_cli_check_glob(const char *g);
char *ff_cli_relative_glob(enum cmd cmd, char *g);
uint64_t ff_cli_parse_list(const char *arg, const char *what, int (*lookup)(const char *), const char *valid);
int ff_cli_fault_lookup(const char *w);
int ff_cli_fdkind_lookup(const char *w);
uint64_t ff_cli_parse_syscalls(const char *arg);
void ff_cli_parse_errnos(struct ff_config *cfg, const char *arg);
void ff_cli_check_selection(const struct ff_config *cfg);
void ff_cli_check_program(const char *prog);

/* cli/sweep_opts.c */
/* --sweep and --sweep-* (name without dashes) into o; dies on bad input. */
void ff_cli_sweep_option(const char *name, const char *arg, struct ff_sweep_opts *o);
/* --shard auto[/N]: I and N from Slurm, Kubernetes or GNU parallel; dies when none is set. */
void ff_cli_shard_auto(const char *arg, unsigned *i, unsigned *n);

/* cli/options.c */
void ff_cli_usage(FILE *f);
void ff_cli_defaults(struct ff_config *cfg);
/* Parses cmd's options into cfg and x; optind is then the first operand. */
void ff_cli_parse(int argc, char **argv, struct ff_config *cfg, enum cmd cmd, struct extra *x);
int ff_cli_dashdash(int argc, char **argv);
void ff_cli_take_program(int argc, char **argv, int first, struct ff_config *cfg);
void ff_cli_check_output(const char *opt, const char *path);
char *ff_cli_valid_syscalls(void);

/* cli/cmd_run.c */
int ff_cli_exit_status(const struct ff_run_result *res);
void ff_cli_run_or_die(const struct ff_config *cfg, struct ff_source *src, struct ff_run_result *res);
const char *ff_cli_write_trace(const struct ff_config *cfg, struct ff_run_result *res);
void ff_cli_judge_or_die(const struct ff_config *cfg, struct ff_run_result *res, const char *trace);
void ff_cli_read_trace(const char *path, struct ff_trace *t);

/* The commands */
int ff_cmd_run(int argc, char **argv);
int ff_cmd_replay(int argc, char **argv);
int ff_cmd_campaign(int argc, char **argv);
int ff_cmd_minimize(int argc, char **argv);
int ff_cmd_show(int argc, char **argv);
int ff_cmd_list(int argc, char **argv);
int ff_cmd_merge(int argc, char **argv);
int ff_cmd_show_campaign(int argc, char **argv);
int ff_cmd_plot(int argc, char **argv);

#endif
