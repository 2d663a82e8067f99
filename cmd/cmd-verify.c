/*
 * cmd-verify.c - `draagvlak verify`: compute the fingerprint and every
 * verdict again from the store and say whether they match the latest
 * count record (analysis/record.h).
 */
#include <getopt.h>
#include <stdio.h>

#include "cmd.h"
#include "counts.h"
#include "lifecycle.h"
#include "record.h"
#include "banned.h"

const char cmd_verify_help[] =
	"usage: draagvlak verify [-d FILE]\n"
	"\n"
	"Compute the fingerprint over the answers and the scanned pages, and\n"
	"every verdict, again from the store, and compare them with the\n"
	"latest count record.  Says what changed when they differ, and\n"
	"exits with 1; compare the fingerprint it prints with the one on\n"
	"the signed record.\n"
	"\n"
	"  -d, --db FILE   the store (default: " CMD_DEFAULT_DB ")\n"
	"  -h, --help      show this help\n";

int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = CMD_DEFAULT_DB;
	struct strbuf err = STRBUF_INIT, why = STRBUF_INIT;
	struct analysis_record now;
	struct store_count_record kept;
	struct analysis *an = NULL;
	struct store *st = NULL;
	struct survey *s = NULL;
	bool tallies_ok = true, same;
	int c, rc, ret = CMD_FAIL;

	while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'h': return cmd_print_help("verify");
		default: return cmd_usage_error("verify", "unknown option");
		}
	}
	if (optind != argc)
		return cmd_usage_error("verify", "too many arguments");
	if (cmd_open_survey(db, &st, &s) < 0)
		return CMD_FAIL;
	analysis_record_init(&now);
	store_count_record_init(&kept);
	rc = store_count_record_latest(st, &kept, &err);
	if (rc == STORE_NOT_FOUND) {
		cmd_error("there is no count record yet: close the survey "
			  "first (draagvlak close)");
		goto out;
	}
	/* The verdicts come from the tallies: check those against the
	 * answers too, or a changed answer would slip past them. */
	if (rc != STORE_OK ||
	    store_counts_check(st, &tallies_ok, &why, &err) < 0 ||
	    !(an = analysis_run(st, s, NULL, &err)) ||
	    analysis_record_compute(st, s, an, &now, &err) < 0) {
		cmd_error("%s", err.buf);
		goto out;
	}
	if (!tallies_ok) {
		struct strbuf first = STRBUF_INIT;

		strbuf_addf(&first,
			    "The counts do not add up to the answers: %s\n",
			    why.buf);
		strbuf_reset(&why);
		strbuf_add(&why, first.buf, first.len);
		strbuf_release(&first);
	}
	same = analysis_record_matches(&kept, &now, &why);
	printf("Count record %lld of %s\nFingerprint now: %s\n", kept.id,
	       kept.made_at, now.fingerprint.buf);
	if (same && tallies_ok) {
		printf("OK: the answers, the scans and every verdict match "
		       "the record.\n");
		ret = CMD_OK;
	} else {
		printf("DIFFERS: the store no longer matches the record.\n%s",
		       why.buf);
	}
out:
	analysis_free(an);
	analysis_record_release(&now);
	store_count_record_release(&kept);
	survey_free(s);
	store_free(st);
	strbuf_release(&why);
	strbuf_release(&err);
	return ret;
}
