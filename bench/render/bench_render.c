/*
 * bench_render.c - how fast draagvlak prints a town: personalised forms
 * for 25,000 generated households (the size of Oosterhout) of a two-page
 * survey over 25 buurten, next to a floor measured in the same run: a
 * minimal cairo program writing the same number of PDF pages with one
 * line of text each.
 *
 *     bench_render [HOUSEHOLDS] [OUTDIR]
 *
 * Targets (issue #3): the whole run under 30 s on a 2-core machine, at
 * most 3x the floor's time per page, at most 10 KB per page.  Run by
 * hand; the files are removed afterwards.
 */
#include <cairo-pdf.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "render.h"
#include "xalloc.h"
#include "banned.h"

#define NR_BUURTEN 25

static const char survey_head[] =
	"survey: oosterhout-groen-2027\n"
	"title: Meer groen in uw straat?\n"
	"organisation: Wijkplatform Oosterhout\n"
	"contact: \"Vragen? Mail groen@wijkplatformoosterhout.nl of bel "
	"0162 123 456 (werkdagen 9.00-12.00 uur).\"\n"
	"opens: 2027-03-01\n"
	"closes: 2027-03-28\n"
	"base_url: https://draagvlak.wijkplatformoosterhout.nl\n"
	"intro: |\n"
	"  Beste bewoner,\n"
	"\n"
	"  De gemeente wil in elke buurt stenen vervangen door groen: bomen,\n"
	"  geveltuinen en plantvakken. Dat houdt de straat koeler in de "
	"zomer\n"
	"  en voert regenwater beter af. Wij willen weten of u dat wilt.\n"
	"  Invullen kan op papier of online met de code op dit formulier.\n"
	"questions:\n"
	"  - id: groen\n"
	"    type: proposition\n"
	"    text: Ik ben voor meer groen in mijn straat, ook als daar een "
	"paar parkeerplaatsen voor verdwijnen.\n"
	"  - id: soort\n"
	"    type: multi\n"
	"    text: Welk groen wilt u het liefst?\n"
	"    options:\n"
	"      - { id: bomen, label: Bomen }\n"
	"      - { id: gevel, label: Geveltuinen }\n"
	"      - { id: vakken, label: Plantvakken met bloemen }\n"
	"      - { id: gras, label: Grasstroken }\n"
	"  - id: onderhoud\n"
	"    type: yesno\n"
	"    text: Wilt u helpen met het onderhoud van het groen in uw "
	"straat?\n"
	"  - id: tevreden\n"
	"    type: scale\n"
	"    text: Hoe tevreden bent u nu met het groen in uw buurt?\n"
	"    min: 1\n"
	"    max: 5\n"
	"    min_label: Heel ontevreden\n"
	"    max_label: Heel tevreden\n"
	"  - id: opmerking\n"
	"    type: text\n"
	"    text: Wilt u nog iets kwijt over groen in uw straat?\n"
	"    max_length: 600\n"
	"agreement:\n"
	"  min_response: 30%\n"
	"  min_in_favour: \"> 50%\"\n"
	"buurten:\n";

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void remove_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct strbuf p = STRBUF_INIT;

	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		strbuf_reset(&p);
		strbuf_addf(&p, "%s/%s", dir, e->d_name);
		unlink(p.buf);
	}
	if (d)
		closedir(d);
	strbuf_release(&p);
}

/* The floor: one line of text per page, nothing else. */
static double floor_run(const char *path, size_t pages, long *bytes)
{
	double t0 = now();
	cairo_surface_t *s = cairo_pdf_surface_create(path, 595.28, 841.89);
	cairo_t *cr = cairo_create(s);
	char line[64];
	FILE *fp;

	cairo_select_font_face(cr, "Liberation Sans", CAIRO_FONT_SLANT_NORMAL,
			       CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, 12);
	for (size_t i = 0; i < pages; i++) {
		snprintf(line, sizeof(line), "Pagina %zu", i + 1);
		cairo_move_to(cr, 72, 72);
		cairo_show_text(cr, line);
		cairo_show_page(cr);
	}
	cairo_destroy(cr);
	cairo_surface_destroy(s);
	t0 = now() - t0;
	fp = fopen(path, "rb");
	if (fp) {
		fseek(fp, 0, SEEK_END);
		*bytes = ftell(fp);
		fclose(fp);
	}
	unlink(path);
	return t0;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 25000;
	const char *dir = argc > 2 ? argv[2] : "/tmp/bench_render";
	struct strbuf yaml = STRBUF_INIT, err = STRBUF_INIT;
	struct strbuf path = STRBUF_INIT;
	struct render_households list = { 0 };
	struct render_options o = { .outdir = dir, .progress = true };
	struct render_stats st = { 0 };
	struct diag_list dl;
	struct survey *s;
	double t, tf, per, per_floor;
	long floor_bytes = 0;
	int ret = 1;
	size_t pages_per_form;

	if (n < 1) {
		fprintf(stderr, "usage: bench_render [HOUSEHOLDS] [OUTDIR]\n");
		return 2;
	}
	strbuf_addstr(&yaml, survey_head);
	for (int b = 0; b < NR_BUURTEN; b++)
		strbuf_addf(&yaml,
			    "  - { id: BU082600%02d, name: Buurt %d, "
			    "households: %ld }\n",
			    b, b + 1, n / NR_BUURTEN + 1);
	diag_list_init(&dl, "bench.yaml");
	s = survey_load_buffer("bench.yaml", yaml.buf, yaml.len, &dl);
	if (!s) {
		diag_list_print(&dl, stderr);
		goto out;
	}
	for (long i = 0; i < n; i++) {
		char buurt[32];
		struct store_household h = {
			.id = i + 1,
			.buurt_id = buurt,
			.street = "Burgemeester van Oerlestraat",
			.number = i % 300 + 1,
			.letter = i % 7 ? "" : "A",
			.addition = "",
			.postcode = "4901 KL",
			.place = "Oosterhout",
		};

		snprintf(buurt, sizeof(buurt), "BU082600%02ld",
			 i * NR_BUURTEN / n);
		if (survey_token_new(h.token) < 0)
			goto out;
		render_households_add(&list, &h);
	}
	{
		struct render_layout *l = render_layout_new(
			s, &s->buurten[0], SURVEY_NL, s->base_url, &err);

		if (!l) {
			fprintf(stderr, "bench_render: %s\n", err.buf);
			goto out;
		}
		pages_per_form = l->nr_pages;
		render_layout_free(l);
	}

	t = now();
	if (render_forms(s, &list, &o, &st, &err) < 0) {
		fprintf(stderr, "bench_render: %s\n", err.buf);
		goto out;
	}
	t = now() - t;
	remove_files(dir);

	strbuf_addf(&path, "%s/floor.pdf", dir);
	tf = floor_run(path.buf, st.pages, &floor_bytes);

	per = t / (double)st.pages;
	per_floor = tf / (double)st.pages;
	printf("households        %ld in %d buurten, %zu pages a form\n", n,
	       NR_BUURTEN, pages_per_form);
	printf("draagvlak render  %.2f s: %.0f forms/s, %.0f pages/s, "
	       "%.0f bytes/page (%zu files, %.1f MB)\n",
	       t, (double)st.forms / t, (double)st.pages / t,
	       (double)st.bytes / (double)st.pages, st.files,
	       (double)st.bytes / 1e6);
	if (st.cairo_files)
		printf("                  %zu of the files drawn by cairo "
		       "page by page: the fast writer stepped aside\n",
		       st.cairo_files);
	printf("floor             %.2f s: %.0f pages/s, %.0f bytes/page "
	       "(one line of text a page, one process)\n",
	       tf, (double)st.pages / tf,
	       (double)floor_bytes / (double)st.pages);
	printf("time per page     %.1f us vs floor %.1f us: %.2fx "
	       "(target <= 3x)\n",
	       per * 1e6, per_floor * 1e6, per / per_floor);
	printf("targets           run < 30 s: %s; <= 3x floor: %s; "
	       "<= 10 KB/page: %s\n",
	       t < 30 ? "yes" : "NO", per <= 3 * per_floor ? "yes" : "NO",
	       (double)st.bytes / (double)st.pages <= 10240 ? "yes" : "NO");
	ret = 0;
out:
	render_households_release(&list);
	survey_free(s);
	diag_list_release(&dl);
	strbuf_release(&yaml);
	strbuf_release(&err);
	strbuf_release(&path);
	render_cleanup();
	return ret;
}
