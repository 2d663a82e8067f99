/*
 * cmd-restore.c - `draagvlak restore`: check a copy made by `draagvlak
 * backup` and put it in place of the store (store/backup.h).
 */
#include <getopt.h>
#include <stdio.h>

#include "backup.h"
#include "cmd.h"
#include "banned.h"

const char cmd_restore_help[] =
	"usage: draagvlak restore [-d FILE] [--check] COPY\n"
	"\n"
	"Check COPY (PRAGMA integrity_check, a schema version this draagvlak\n"
	"knows, a survey in it), then put it in place of the store in one\n"
	"step: the store's name always holds either the old store or the\n"
	"whole copy.  The old store is kept as FILE.before-restore.  Stop\n"
	"the server first; a store in use is refused.\n"
	"\n"
	"  -d, --db FILE   the store to replace (default: " CMD_DEFAULT_DB ")\n"
	"  -c, --check     only check COPY; change nothing\n"
	"  -h, --help      show this help\n";

int cmd_restore(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "check", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = CMD_DEFAULT_DB;
	struct strbuf err = STRBUF_INIT;
	struct store_backup_info info;
	bool check_only = false;
	int c, rc, ret = CMD_FAIL;

	optind = 1;
	while ((c = getopt_long(argc, argv, "d:ch", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'c': check_only = true; break;
		case 'h': return cmd_print_help("restore");
		default: return cmd_usage_error("restore", "unknown option");
		}
	}
	if (optind != argc - 1)
		return cmd_usage_error("restore", "name one COPY");
	rc = check_only ? store_backup_check(argv[optind], &info, &err)
			: store_restore(argv[optind], db, &info, &err);
	if (rc != STORE_OK) {
		cmd_error("%s", err.buf);
		goto out;
	}
	if (check_only)
		printf("%s is a sound copy: survey '%s', schema %d.\n",
		       argv[optind], info.survey_id, info.schema_version);
	else
		printf("Restored %s from %s: survey '%s', schema %d.\n", db,
		       argv[optind], info.survey_id, info.schema_version);
	ret = CMD_OK;
out:
	strbuf_release(&err);
	return ret;
}
