/*
 * cmd-record.c - `draagvlak record`: the count record (proces-verbaal)
 * of a closed survey as a PDF to print and sign (analysis/record_pdf.h).
 */
#include <getopt.h>
#include <stdio.h>

#include "audit.h"
#include "cmd.h"
#include "lifecycle.h"
#include "record.h"
#include "record_pdf.h"
#include "render.h"
#include "banned.h"

const char cmd_record_help[] =
	"usage: draagvlak record [-d FILE] --pdf FILE [--lang nl|en]\n"
	"                        [--by NAME]\n"
	"\n"
	"Write the count record of the closed survey: per buurt and channel\n"
	"the counts and the verdict, the agreement in full, the audit, the\n"
	"fingerprint, and lines for the signatures of the counters and an\n"
	"independent observer.  When forms that were waiting at closing\n"
	"have been settled since, a new record (with the next number) is\n"
	"kept beside the earlier one; otherwise the latest is printed again.\n"
	"\n"
	"  -d, --db FILE     the store (default: " CMD_DEFAULT_DB ")\n"
	"  -p, --pdf FILE    write the record to FILE\n"
	"  -l, --lang LANG   nl (default) or en\n"
	"      --by NAME     who draws it up (default: cli)\n"
	"  -h, --help        show this help\n";

int cmd_record_write(struct store *st, const struct survey *s, const char *by,
		     enum survey_lang lang, const char *pdf, bool quiet,
		     struct analysis_record *now)
{
	struct strbuf err = STRBUF_INIT;
	struct store_count_record kept;
	struct store_lifecycle lc;
	struct store_life_audit life;
	struct store_audit au;
	struct analysis *an = NULL;
	bool have_au = false;
	int rc, ret = -1;

	store_count_record_init(&kept);
	rc = analysis_record_keep(st, s, by, &an, now, &kept, &err);
	if (rc == STORE_REFUSED) {
		cmd_error("the survey is still open: close it first "
			  "(draagvlak close)");
		goto out;
	}
	if (rc != STORE_OK || store_lifecycle_read(st, &lc, &err) < 0 ||
	    store_life_audit_read(st, &life, &err) < 0 ||
	    store_audit_read(st, s, &au, &err) < 0) {
		cmd_error("%s", err.buf);
		goto out;
	}
	have_au = true;
	{
		struct analysis_record_doc doc = {
			.an = an,
			.au = &au,
			.life = &life,
			.lc = &lc,
			.kept = &kept,
			.rec = now,
			.lang = lang,
		};

		if (analysis_record_pdf(&doc, pdf, &err) < 0) {
			cmd_error("%s", err.buf);
			goto out;
		}
	}
	if (!quiet) {
		printf("Count record %lld (%s) written to %s.\n"
		       "Fingerprint: %s\n",
		       kept.id, kept.made_at, pdf, kept.fingerprint.buf);
		if (life.paper_waiting || life.scans_waiting)
			printf("Still waiting: %llu paper and %llu scanned "
			       "forms; settle them and draw up the record "
			       "again.\n",
			       (unsigned long long)life.paper_waiting,
			       (unsigned long long)life.scans_waiting);
	}
	ret = 0;
out:
	if (have_au)
		store_audit_release(&au);
	analysis_free(an);
	store_count_record_release(&kept);
	strbuf_release(&err);
	return ret;
}

int cmd_record(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "pdf", required_argument, NULL, 'p' },
		{ "lang", required_argument, NULL, 'l' },
		{ "by", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = CMD_DEFAULT_DB, *pdf = NULL, *by = "cli";
	enum survey_lang lang = SURVEY_NL;
	struct analysis_record now;
	struct store *st = NULL;
	struct survey *s = NULL;
	int c, ret = CMD_FAIL;

	while ((c = getopt_long(argc, argv, "d:p:l:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'p': pdf = optarg; break;
		case 'b': by = optarg; break;
		case 'l':
			if (survey_lang_parse(optarg, &lang) < 0)
				return cmd_usage_error(
					"record",
					"language '%s' is not nl or en",
					optarg);
			break;
		case 'h': return cmd_print_help("record");
		default: return cmd_usage_error("record", "unknown option");
		}
	}
	if (optind != argc)
		return cmd_usage_error("record", "too many arguments");
	if (!pdf)
		return cmd_usage_error("record", "--pdf FILE is needed");
	if (cmd_open_survey(db, &st, &s) < 0)
		return CMD_FAIL;
	analysis_record_init(&now);
	if (cmd_record_write(st, s, by, lang, pdf, false, &now) == 0)
		ret = CMD_OK;
	analysis_record_release(&now);
	survey_free(s);
	store_free(st);
	render_cleanup();
	return ret;
}
