/* A campaign's progress drawn as SVG (core/campaign/plot.c). */
#ifndef FF_PLOT_H
#define FF_PLOT_H
#include <stddef.h>
#include <stdint.h>

/* Cumulative series over the runs in seed order (index i: after run i + 1). */
struct ff_plot {
	size_t n;
	uint64_t *failures, *bugs, *pairs;
	uint64_t pairs_possible;
};

/* Writes path. Returns 0 or -errno. */
int ff_plot_svg(const char *path, const struct ff_plot *p);

#endif
