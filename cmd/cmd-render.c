/*
 * cmd-render.c - `draagvlak render`: the printable forms (personalised
 * per household, numbered for community evenings), their layout files,
 * and the posters.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "households.h"
#include "msg.h"
#include "render.h"
#include "xalloc.h"
#include "banned.h"

const char cmd_render_help[] =
	"usage: draagvlak render [-d FILE] [-o DIR] [--buurt ID]\n"
	"                        [--household CODE]... [--anonymous] "
	"[--poster]\n"
	"                        [--lang nl|en] [--base-url URL] [-j N]\n"
	"                        [--duplex]\n"
	"\n"
	"Write the printable forms as PDF, one file per buurt, in delivery\n"
	"order (street, house number), each with a layout file (.layout.json)\n"
	"that tells a scanner where every box is.  Every page carries corner\n"
	"marks and a QR code that leads the resident to their own online\n"
	"form.  Without --anonymous or --poster, everything is written:\n"
	"\n"
	"  DIR/formulieren-BUURT.pdf               one form per address\n"
	"  DIR/formulieren-BUURT-zonder-adres.pdf  numbered forms (households\n"
	"                                          add --count) for evenings\n"
	"  DIR/poster-A4.pdf, DIR/poster-A3.pdf    a QR code to the survey\n"
	"\n"
	"How to print (single- or double-sided, pages per household) is\n"
	"said at the end and written to DIR/afdrukken.txt.\n"
	"\n"
	"With --household the forms asked for go to a file of their own,\n"
	"DIR/formulieren-BUURT-herdruk-N.pdf, so the buurt's file stays.\n"
	"\n"
	"  -d, --db FILE          the store (default: " CMD_DEFAULT_DB ")\n"
	"  -o, --output DIR       where to write (default: forms)\n"
	"  -b, --buurt ID         only the forms of this buurt\n"
	"  -H, --household CODE   only the form of this household (by its "
	"code;\n"
	"                         may be given more than once)\n"
	"  -a, --anonymous        the numbered forms (and no others unless\n"
	"                         asked for)\n"
	"  -p, --poster           the posters (and no others unless asked "
	"for)\n"
	"  -l, --lang LANG        nl (default) or en, when the survey has "
	"English\n"
	"  -u, --base-url URL     the server's address, when the definition\n"
	"                         has no base_url or to override it\n"
	"  -j, --jobs N           worker processes (default: one per CPU)\n"
	"  -2, --duplex           for double-sided printing: a form of an odd\n"
	"                         number of pages gets a blank back page, so\n"
	"                         that the next household starts on a new\n"
	"                         sheet ('draagvlak scan' skips it)\n"
	"  -h, --help             show this help\n";

struct options {
	const char *db;
	struct render_options r;
	const char *buurt;
	char (*codes)[SURVEY_TOKEN_SIZE];
	size_t nr_codes, alloc_codes;
	bool *code_found;
	bool addresses, anonymous, posters;
	struct render_households list;
};

static int collect(const struct store_household *h, void *data)
{
	struct options *o = data;

	if (o->nr_codes) {
		size_t i;

		for (i = 0; i < o->nr_codes; i++)
			if (!strcmp(o->codes[i], h->token))
				break;
		if (i == o->nr_codes)
			return 0;
		o->code_found[i] = true;
	} else if (h->street ? !o->addresses : !o->anonymous) {
		return 0;
	}
	render_households_add(&o->list, h);
	return 0;
}

/* The catalogue's id in o's language, as an error of draagvlak. */
static void say(const struct options *o, enum msg_id id, const char *a,
		const char *b)
{
	struct strbuf m = STRBUF_INIT;

	if (b)
		msg_add(&m, o->r.lang, id, a, b);
	else if (a)
		msg_add(&m, o->r.lang, id, a);
	else
		msg_put(&m, o->r.lang, id);
	cmd_error("%s", m.buf);
	strbuf_release(&m);
}

/*
 * How to print the forms, on stdout and in DIR/afdrukken.txt: double-sided
 * (--duplex), single-sided (an odd number of pages), or either.  Returns
 * 0, or -1 when the file cannot be written (said).
 */
static int say_how_to_print(const struct options *o,
			    const struct render_stats *st)
{
	struct strbuf m = STRBUF_INIT, path = STRBUF_INIT;
	char n[24];
	FILE *fp;
	int ret = -1;

	snprintf(n, sizeof(n), "%zu", st->set_pages);
	if (o->r.duplex)
		msg_add(&m, o->r.lang, MSG_RENDER_PRINT_DUPLEX, n);
	else if (st->odd_pages)
		msg_add(&m, o->r.lang, MSG_RENDER_PRINT_SINGLE, n);
	else
		msg_add(&m, o->r.lang, MSG_RENDER_PRINT_EVEN, n);
	strbuf_addch(&m, '\n');
	fputs(m.buf, stdout);
	strbuf_addf(&path, "%s/afdrukken.txt", o->r.outdir);
	fp = fopen(path.buf, "w");
	if (!fp || fputs(m.buf, fp) < 0 || fclose(fp)) {
		if (fp)
			fclose(fp);
		cmd_error("%s: %s", path.buf, strerror(errno));
		goto out;
	}
	strbuf_reset(&m);
	msg_add(&m, o->r.lang, MSG_RENDER_PRINT_FILE, path.buf);
	printf("%s\n", m.buf);
	ret = 0;
out:
	strbuf_release(&m);
	strbuf_release(&path);
	return ret;
}

/* "6 PDF-bestanden geschreven (454 formulieren, ...)" in o's language. */
static void say_wrote(const struct options *o, const struct render_stats *st)
{
	struct strbuf m = STRBUF_INIT, files = STRBUF_INIT, forms = STRBUF_INIT;
	char n[24], pages[24], mb[24];

	snprintf(n, sizeof(n), "%zu", st->files);
	if (st->files == 1)
		msg_put(&files, o->r.lang, MSG_RENDER_COUNT_FILE_ONE);
	else
		msg_add(&files, o->r.lang, MSG_RENDER_COUNT_FILES, n);
	snprintf(n, sizeof(n), "%zu", st->forms);
	if (st->forms == 1)
		msg_put(&forms, o->r.lang, MSG_RENDER_COUNT_FORM_ONE);
	else
		msg_add(&forms, o->r.lang, MSG_RENDER_COUNT_FORMS, n);
	snprintf(pages, sizeof(pages), "%zu", st->pages);
	snprintf(mb, sizeof(mb), "%.1f", (double)st->bytes / 1e6);
	if (o->r.lang == SURVEY_NL && strchr(mb, '.'))
		*strchr(mb, '.') = ',';
	msg_add(&m, o->r.lang, MSG_RENDER_WROTE, files.buf, forms.buf, pages,
		mb, o->r.outdir);
	printf("%s\n", m.buf);
	strbuf_release(&m);
	strbuf_release(&files);
	strbuf_release(&forms);
}

static int run(struct options *o)
{
	struct strbuf err = STRBUF_INIT;
	struct render_stats stats = { 0 };
	struct store *st;
	struct survey *s;
	int ret = CMD_FAIL;

	if (cmd_open_survey(o->db, &st, &s) < 0)
		return CMD_FAIL;
	if (o->buurt && !survey_find_buurt(s, o->buurt)) {
		struct strbuf ids = STRBUF_INIT;

		for (size_t i = 0; i < s->nr_buurten; i++)
			strbuf_addf(&ids, "%s%s", i ? ", " : "",
				    s->buurten[i].id);
		say(o, MSG_RENDER_UNKNOWN_BUURT, o->buurt, ids.buf);
		strbuf_release(&ids);
		goto out;
	}
	if (o->addresses || o->anonymous || o->nr_codes) {
		o->code_found = xcalloc(o->nr_codes + 1, sizeof(bool));
		if (store_households_each(st, o->buurt, collect, o, &err) < 0) {
			cmd_error("%s", err.buf);
			goto out;
		}
		for (size_t i = 0; i < o->nr_codes; i++) {
			if (!o->code_found[i]) {
				char pretty[SURVEY_TOKEN_PRETTY];

				survey_token_pretty(o->codes[i], pretty);
				if (o->buurt)
					say(o, MSG_RENDER_UNKNOWN_CODE_IN,
					    pretty, o->buurt);
				else
					say(o, MSG_RENDER_UNKNOWN_CODE, pretty,
					    NULL);
				goto out;
			}
		}
		if (!o->list.nr) {
			say(o, MSG_RENDER_NO_HOUSEHOLDS, NULL, NULL);
			goto out;
		}
		if (render_forms(s, &o->list, &o->r, &stats, &err) < 0) {
			cmd_error("%s", err.buf);
			goto out;
		}
	}
	if (o->posters && render_posters(s, &o->r, &stats, &err) < 0) {
		cmd_error("%s", err.buf);
		goto out;
	}
	if (stats.qr_note) {
		struct strbuf m = STRBUF_INIT;

		msg_add(&m, o->r.lang, MSG_RENDER_NOTE, stats.qr_note);
		fprintf(stderr, "draagvlak: %s\n", m.buf);
		strbuf_release(&m);
	}
	if (stats.odd_pages) {
		struct strbuf m = STRBUF_INIT;
		char n[24];

		snprintf(n, sizeof(n), "%zu", stats.odd_pages);
		msg_add(&m, o->r.lang, MSG_RENDER_ODD_PAGES, n);
		printf("%s\n", m.buf);
		strbuf_release(&m);
	}
	say_wrote(o, &stats);
	if (stats.set_pages && say_how_to_print(o, &stats) < 0)
		goto out;
	ret = CMD_OK;
out:
	strbuf_release(&err);
	survey_free(s);
	store_free(st);
	return ret;
}

/* A usage error in o's language (as far as --lang was read). */
static int usage_msg(const struct options *o, enum msg_id id, const char *arg)
{
	struct strbuf m = STRBUF_INIT;
	int ret;

	msg_add(&m, o->r.lang, id, arg);
	ret = cmd_usage_error("render", "%s", m.buf);
	strbuf_release(&m);
	return ret;
}

int cmd_render(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ "buurt", required_argument, NULL, 'b' },
		{ "household", required_argument, NULL, 'H' },
		{ "anonymous", no_argument, NULL, 'a' },
		{ "poster", no_argument, NULL, 'p' },
		{ "lang", required_argument, NULL, 'l' },
		{ "base-url", required_argument, NULL, 'u' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "duplex", no_argument, NULL, '2' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct options o = { .db = CMD_DEFAULT_DB };
	char *end;
	long n;
	int c, ret;

	o.r.outdir = "forms";
	o.r.progress = true;
	while ((c = getopt_long(argc, argv, "d:o:b:H:apl:u:j:2h", opts,
				NULL)) != -1) {
		switch (c) {
		case 'd': o.db = optarg; break;
		case 'o': o.r.outdir = optarg; break;
		case 'b': o.buurt = optarg; break;
		case 'H':
			ALLOC_GROW(o.codes, o.nr_codes + 1, o.alloc_codes);
			if (survey_token_parse(optarg, o.codes[o.nr_codes]) !=
			    SURVEY_TOKEN_OK) {
				struct strbuf m = STRBUF_INIT;

				msg_add(&m, o.r.lang, MSG_RENDER_BAD_CODE,
					optarg,
					survey_token_status_message(
						survey_token_parse(optarg,
								   o.codes[0]),
						o.r.lang));
				free(o.codes);
				ret = cmd_usage_error("render", "%s", m.buf);
				strbuf_release(&m);
				return ret;
			}
			/* The same household twice, or two spellings of
			 * one code: one form. */
			{
				size_t i;

				for (i = 0; i < o.nr_codes; i++)
					if (!strcmp(o.codes[i],
						    o.codes[o.nr_codes]))
						break;
				if (i == o.nr_codes)
					o.nr_codes++;
			}
			break;
		case 'a': o.anonymous = true; break;
		case 'p': o.posters = true; break;
		case 'l':
			if (survey_lang_parse(optarg, &o.r.lang) < 0) {
				free(o.codes);
				return usage_msg(&o, MSG_RENDER_BAD_LANG,
						 optarg);
			}
			break;
		case 'u': o.r.base_url = optarg; break;
		case '2': o.r.duplex = true; break;
		case 'j':
			errno = 0;
			n = strtol(optarg, &end, 10);
			if (errno || *end || n < 1 || n > 64) {
				free(o.codes);
				return usage_msg(&o, MSG_RENDER_BAD_JOBS,
						 optarg);
			}
			o.r.jobs = (unsigned)n;
			break;
		case 'h': free(o.codes); return cmd_print_help("render");
		default:
			free(o.codes);
			return cmd_usage_error("render", "unknown option");
		}
	}
	if (optind != argc) {
		free(o.codes);
		return usage_msg(&o, MSG_RENDER_EXTRA_ARGUMENT, argv[optind]);
	}
	if (!o.anonymous && !o.posters) {
		/* Nothing chosen: everything, or the households asked for. */
		o.addresses = o.anonymous = true;
		o.posters = !o.nr_codes && !o.buurt;
	}
	/* A reprint never replaces the buurt's file (render.h). */
	o.r.reprint = o.nr_codes > 0;
	/*
	 * A file size limit (ulimit -f) then fails the write with EFBIG and a
	 * message, instead of killing the process without one.
	 */
	signal(SIGXFSZ, SIG_IGN);
	ret = run(&o);
	render_cleanup();
	render_households_release(&o.list);
	free(o.codes);
	free(o.code_found);
	return ret;
}
