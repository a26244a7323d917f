/* A campaign's progress as a self-contained SVG (no plotting package): the
 * failing runs and distinct bugs over runs, and the (site, kind) pairs tried
 * over runs, as afl-plot draws AFL++'s. */
#include "core/campaign/plot.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#define W     760
#define PANEL 220
#define LEFT  70
#define TOP   40
#define GAP   70
#define RIGHT 20

/* One panel: its frame, y ticks at 0 and ymax, the x range 0..n, and a title. */
static void frame(FILE *f, int y0, uint64_t n, uint64_t ymax, const char *title)
{
	int w = W - LEFT - RIGHT;
	fprintf(f, "<rect x='%d' y='%d' width='%d' height='%d' fill='none' stroke='#888'/>\n", LEFT, y0, w, PANEL);
	fprintf(f, "<text x='%d' y='%d' font-size='14'>%s</text>\n", LEFT, y0 - 10, title);
	for (int t = 0; t <= 4; t++) {
		int y = y0 + PANEL - t * PANEL / 4;
		fprintf(f, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#eee'/>\n", LEFT + 1, y, LEFT + w - 1, y);
		fprintf(f, "<text x='%d' y='%d' font-size='11' text-anchor='end'>%.0f</text>\n", LEFT - 6, y + 4,
			(double)ymax * t / 4);
	}
	fprintf(f, "<text x='%d' y='%d' font-size='11'>0</text>\n", LEFT, y0 + PANEL + 15);
	fprintf(f, "<text x='%d' y='%d' font-size='11' text-anchor='end'>%" PRIu64 " runs</text>\n", LEFT + w,
		y0 + PANEL + 15, n);
}

/* A cumulative series v[0..n-1] as a step line. */
static void line(FILE *f, int y0, const uint64_t *v, size_t n, uint64_t ymax, const char *color, const char *dash)
{
	int w = W - LEFT - RIGHT;
	fprintf(f, "<polyline fill='none' stroke='%s' stroke-width='2'%s points='%d,%d", color, dash, LEFT, y0 + PANEL);
	for (size_t i = 0; i < n; i++) {
		double x = LEFT + (double)w * (double)(i + 1) / (double)n;
		double y = y0 + PANEL - (double)PANEL * (double)v[i] / (double)(ymax ? ymax : 1);
		fprintf(f, " %.1f,%.1f", x, y);
	}
	fputs("'/>\n", f);
}

static void legend(FILE *f, int x, int y, const char *color, const char *text)
{
	fprintf(f, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='%s' stroke-width='2'/>", x, y, x + 20, y, color);
	fprintf(f, "<text x='%d' y='%d' font-size='12'>%s</text>\n", x + 25, y + 4, text);
}

int ff_plot_svg(const char *path, const struct ff_plot *p)
{
	FILE *f = fopen(path, "we");
	if (!f)
		return -errno;
	size_t n = p->n;
	uint64_t fmax = n ? p->failures[n - 1] : 0, pmax = p->pairs_possible;
	if (n && p->pairs[n - 1] > pmax)
		pmax = p->pairs[n - 1];
	int h = TOP + 2 * PANEL + GAP + 40, y1 = TOP, y2 = TOP + PANEL + GAP;
	fprintf(f, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif'>\n", W, h);
	fprintf(f, "<rect width='100%%' height='100%%' fill='white'/>\n");
	frame(f, y1, n, fmax, "failing runs and distinct bugs");
	line(f, y1, p->failures, n, fmax, "#c0392b", "");
	line(f, y1, p->bugs, n, fmax, "#2c3e50", "");
	legend(f, W - 260, y1 - 14, "#c0392b", "failing runs");
	legend(f, W - 140, y1 - 14, "#2c3e50", "distinct bugs");
	frame(f, y2, n, pmax, "(site, kind) pairs tried");
	line(f, y2, p->pairs, n, pmax, "#27ae60", "");
	fprintf(f, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#999' stroke-dasharray='6,4'/>\n", LEFT,
		y2 + PANEL - (int)((double)PANEL * (double)p->pairs_possible / (double)(pmax ? pmax : 1)), W - RIGHT,
		y2 + PANEL - (int)((double)PANEL * (double)p->pairs_possible / (double)(pmax ? pmax : 1)));
	legend(f, W - 260, y2 - 14, "#27ae60", "tried");
	legend(f, W - 140, y2 - 14, "#999", "possible");
	fputs("</svg>\n", f);
	int rc = ferror(f) ? -EIO : 0;
	return fclose(f) != 0 && rc == 0 ? -errno : rc;
}
