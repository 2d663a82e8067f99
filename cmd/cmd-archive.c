/*
 * cmd-archive.c - `draagvlak archive`: after the retention date, destroy
 * the personal side of the store (store/lifecycle.h) and write a
 * statement of what was destroyed and when.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "analysis.h"
#include "cmd.h"
#include "lifecycle.h"
#include "msg.h"
#include "banned.h"

const char cmd_archive_help[] =
	"usage: draagvlak archive [-d FILE] [-o STATEMENT] [--lang nl|en]\n"
	"                         [--today YYYY-MM-DD]\n"
	"\n"
	"After the retention date of the definition (retention:), destroy\n"
	"every address, code, scanned image reference and cut-out, and the\n"
	"server's session keys; rewrite the file so that no free page keeps\n"
	"them; and write a statement of what was destroyed and when.  The\n"
	"answers, verdicts and count records stay, and `draagvlak verify`\n"
	"still checks them.  Refused while the survey is open, and before\n"
	"or on the retention date.  Cannot be undone: keep a copy of the\n"
	"record's PDF.\n"
	"\n"
	"  -d, --db FILE           the store (default: " CMD_DEFAULT_DB ")\n"
	"  -o, --output STATEMENT  the statement (default:\n"
	"                          vernietigingsverklaring.txt)\n"
	"  -l, --lang LANG         nl (default) or en\n"
	"      --today DATE        the date to act as of (tests, demos)\n"
	"  -h, --help              show this help\n";

static void add_u(char *buf, size_t size, uint64_t n)
{
	snprintf(buf, size, "%" PRIu64, n);
}

int cmd_archive(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ "lang", required_argument, NULL, 'l' },
		{ "today", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = CMD_DEFAULT_DB,
		   *output = "vernietigingsverklaring.txt";
	enum survey_lang lang = SURVEY_NL;
	struct strbuf err = STRBUF_INIT, text = STRBUF_INIT;
	struct store_archive_result res;
	struct store *st = NULL;
	struct survey *s = NULL;
	char today[11] = "", n[5][24];
	int c, rc, ret = CMD_FAIL;

	while ((c = getopt_long(argc, argv, "d:o:l:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'o': output = optarg; break;
		case 'l':
			if (survey_lang_parse(optarg, &lang) < 0)
				return cmd_usage_error(
					"archive",
					"language '%s' is not nl or en",
					optarg);
			break;
		case 't':
			if (!analysis_valid_date(optarg))
				return cmd_usage_error(
					"archive",
					"'%s' is not a YYYY-MM-DD date",
					optarg);
			snprintf(today, sizeof(today), "%s", optarg);
			break;
		case 'h': return cmd_print_help("archive");
		default: return cmd_usage_error("archive", "unknown option");
		}
	}
	if (optind != argc)
		return cmd_usage_error("archive", "too many arguments");
	if (!today[0])
		analysis_local_date(today);
	if (cmd_open_survey(db, &st, &s) < 0)
		return CMD_FAIL;
	if (!s->retention[0]) {
		cmd_error("the definition sets no retention date: add "
			  "'retention: YYYY-MM-DD' (agreed with the "
			  "archivist) and run draagvlak init again");
		goto out;
	}
	if (strcmp(today, s->retention) <= 0) {
		cmd_error("the addresses are kept up to and including %s; "
			  "archive after that date",
			  s->retention);
		goto out;
	}
	/* The statement names the counts: fill them in after the fact. */
	rc = store_archive(st, "", &res, &err);
	if (rc == STORE_REFUSED) {
		cmd_error("the survey is still open: close it first "
			  "(draagvlak close)");
		goto out;
	}
	if (rc == STORE_ALREADY_DONE) {
		cmd_error("the store was archived before");
		goto out;
	}
	if (rc != STORE_OK) {
		cmd_error("%s", err.buf);
		goto out;
	}
	add_u(n[0], sizeof(n[0]), res.addresses);
	add_u(n[1], sizeof(n[1]), res.codes);
	add_u(n[2], sizeof(n[2]), res.scan_pages);
	add_u(n[3], sizeof(n[3]), res.cutouts);
	strbuf_addf(&text, "%s\n\n", msg_get(lang, MSG_ARCHIVE_TITLE));
	msg_add(&text, lang, MSG_ARCHIVE_STATEMENT, res.archived_at,
		survey_text_get(&s->title, lang), n[0], n[1], n[2], n[3],
		s->retention);
	strbuf_addstr(&text, "\n\n");
	msg_put(&text, lang, MSG_ARCHIVE_KEPT);
	strbuf_addch(&text, '\n');
	if (store_archive_statement_set(st, text.buf, &err) < 0 ||
	    cmd_write_file(output, text.buf, text.len, &err) < 0) {
		cmd_error("%s", err.buf);
		goto out;
	}
	printf("%s\nThe statement is in %s.\n", text.buf, output);
	ret = CMD_OK;
out:
	survey_free(s);
	store_free(st);
	strbuf_release(&text);
	strbuf_release(&err);
	return ret;
}
