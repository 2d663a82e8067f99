/*
 * cmd-publish.c - `draagvlak publish`: the bundle for the website and the
 * council after closing: the answers without addresses or codes, the
 * results, the count record and its fingerprint, with what anyone needs
 * to compute the fingerprint again.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "analysis.h"
#include "cmd.h"
#include "lifecycle.h"
#include "record.h"
#include "render.h"
#include "report.h"
#include "banned.h"

const char cmd_publish_help[] =
	"usage: draagvlak publish [-d FILE] -o DIR [--lang nl|en]\n"
	"\n"
	"Write the publication bundle of the closed survey into DIR:\n"
	"  answers.csv      every counted answer; respondents numbered in an\n"
	"                   order that reveals nothing (a keyed hash, not the\n"
	"                   order they answered in); no address, no code\n"
	"  results.csv      the verdicts and counts per buurt\n"
	"  results.json     the same as JSON\n"
	"  record.pdf       the count record (proces-verbaal)\n"
	"  scans.txt        the hashes of the scanned pages\n"
	"  fingerprint.txt  the fingerprint and how to compute it again\n"
	"\n"
	"  -d, --db FILE     the store (default: " CMD_DEFAULT_DB ")\n"
	"  -o, --output DIR  the folder (made when missing)\n"
	"  -l, --lang LANG   nl (default) or en, for the record and results\n"
	"  -h, --help        show this help\n";

struct scans {
	struct strbuf sb;
};

static int add_scan(const char *hash, void *data)
{
	struct scans *sc = data;

	strbuf_addf(&sc->sb, "scan %s\n", hash);
	return 0;
}

/* Write dir/name; 0 or -1 after saying why. */
static int put(const char *dir, const char *name, const struct strbuf *sb)
{
	struct strbuf path = STRBUF_INIT, err = STRBUF_INIT;
	int ret = 0;

	strbuf_addf(&path, "%s/%s", dir, name);
	if (cmd_write_file(path.buf, sb->buf, sb->len, &err) < 0) {
		cmd_error("%s", err.buf);
		ret = -1;
	}
	strbuf_release(&path);
	strbuf_release(&err);
	return ret;
}

int cmd_publish(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ "lang", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = CMD_DEFAULT_DB, *dir = NULL;
	enum survey_lang lang = SURVEY_NL;
	struct strbuf err = STRBUF_INIT, sb = STRBUF_INIT, pdf = STRBUF_INIT;
	struct scans sc = { STRBUF_INIT };
	struct analysis_record now;
	struct analysis *an = NULL;
	struct store *st = NULL;
	struct survey *s = NULL;
	int c, ret = CMD_FAIL;

	while ((c = getopt_long(argc, argv, "d:o:l:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'o': dir = optarg; break;
		case 'l':
			if (survey_lang_parse(optarg, &lang) < 0)
				return cmd_usage_error(
					"publish",
					"language '%s' is not nl or en",
					optarg);
			break;
		case 'h': return cmd_print_help("publish");
		default: return cmd_usage_error("publish", "unknown option");
		}
	}
	if (optind != argc)
		return cmd_usage_error("publish", "too many arguments");
	if (!dir)
		return cmd_usage_error("publish", "-o DIR is needed");
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		cmd_error("cannot make the folder %s: %s", dir,
			  strerror(errno));
		return CMD_FAIL;
	}
	if (cmd_open_survey(db, &st, &s) < 0)
		return CMD_FAIL;
	analysis_record_init(&now);
	strbuf_addf(&pdf, "%s/record.pdf", dir);
	if (cmd_record_write(st, s, "publish", lang, pdf.buf, true, &now) < 0)
		goto out;
	if (put(dir, "answers.csv", &now.canonical) < 0)
		goto out;
	if (!(an = analysis_run(st, s, NULL, &err)) ||
	    store_scan_hashes_each(st, add_scan, &sc, &err) != STORE_OK) {
		cmd_error("%s", err.buf);
		goto out;
	}
	analysis_report(an, ANALYSIS_CSV, lang, &sb);
	if (put(dir, "results.csv", &sb) < 0)
		goto out;
	strbuf_reset(&sb);
	analysis_report(an, ANALYSIS_JSON, lang, &sb);
	if (put(dir, "results.json", &sb) < 0 ||
	    put(dir, "scans.txt", &sc.sb) < 0)
		goto out;
	strbuf_reset(&sb);
	strbuf_addf(&sb,
		    "%s\n\n"
		    "SHA-256 over the line 'draagvlak count record 1', then\n"
		    "answers.csv, then scans.txt, byte for byte:\n\n"
		    "  (printf 'draagvlak count record 1\\n'; cat answers.csv "
		    "scans.txt) | sha256sum\n",
		    now.fingerprint.buf);
	if (put(dir, "fingerprint.txt", &sb) < 0)
		goto out;
	printf("Published in %s: answers.csv, results.csv, results.json, "
	       "record.pdf, scans.txt, fingerprint.txt.\nFingerprint: %s\n",
	       dir, now.fingerprint.buf);
	ret = CMD_OK;
out:
	analysis_free(an);
	analysis_record_release(&now);
	survey_free(s);
	store_free(st);
	render_cleanup();
	strbuf_release(&sc.sb);
	strbuf_release(&sb);
	strbuf_release(&pdf);
	strbuf_release(&err);
	return ret;
}
