/*
 * cmd-close.c - `draagvlak close`: end the survey.  From then on nothing
 * changes the counted answers (store/lifecycle.h), and the first count
 * record is kept in the store.
 */
#include <getopt.h>
#include <stdio.h>

#include "cmd.h"
#include "lifecycle.h"
#include "record.h"
#include "banned.h"

const char cmd_close_help[] =
	"usage: draagvlak close [-d FILE] [--by NAME]\n"
	"\n"
	"Close the survey: no online answer, new paper form or new scan\n"
	"counts any more.  Paper forms and scans that were waiting for a\n"
	"second entry or a review can still be settled, and are listed in\n"
	"the count record until they are.  The count (its fingerprint and\n"
	"verdicts) is kept in the store, for `draagvlak record` and\n"
	"`draagvlak verify`.  Closing cannot be undone.\n"
	"\n"
	"  -d, --db FILE   the store (default: " CMD_DEFAULT_DB ")\n"
	"      --by NAME   who closes it, for the record (default: cli)\n"
	"  -h, --help      show this help\n";

int cmd_close(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "by", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = CMD_DEFAULT_DB, *by = "cli";
	struct strbuf err = STRBUF_INIT;
	struct store_count_record kept;
	struct store_lifecycle lc;
	struct store *st = NULL;
	struct survey *s = NULL;
	int c, rc, ret = CMD_FAIL;

	while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'b': by = optarg; break;
		case 'h': return cmd_print_help("close");
		default: return cmd_usage_error("close", "unknown option");
		}
	}
	if (optind != argc)
		return cmd_usage_error("close", "too many arguments");
	if (cmd_open_survey(db, &st, &s) < 0)
		return CMD_FAIL;
	store_count_record_init(&kept);
	rc = analysis_close(st, s, by, &err);
	if (rc == STORE_ALREADY_DONE) {
		if (store_lifecycle_read(st, &lc, &err) == STORE_OK)
			printf("The survey was closed already, on %s by %s.\n",
			       lc.closed_at, lc.closed_by);
		ret = CMD_OK;
		goto out;
	}
	if (rc != STORE_OK) {
		cmd_error("%s", err.buf);
		goto out;
	}
	if (store_lifecycle_read(st, &lc, &err) < 0 ||
	    store_count_record_latest(st, &kept, &err) != STORE_OK) {
		cmd_error("%s", err.buf);
		goto out;
	}
	printf("Closed on %s by %s.\nFingerprint: %s\n"
	       "Next: draagvlak record --pdf FILE, to print and sign.\n",
	       lc.closed_at, lc.closed_by, kept.fingerprint.buf);
	ret = CMD_OK;
out:
	store_count_record_release(&kept);
	survey_free(s);
	store_free(st);
	strbuf_release(&err);
	return ret;
}
