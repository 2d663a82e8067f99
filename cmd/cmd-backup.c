/*
 * cmd-backup.c - `draagvlak backup`: a copy of the live store, taken while
 * the server keeps taking answers (store/backup.h).  Given a folder, it
 * names the copy by the time and can keep only the newest N there, which
 * is what the backup timer (dist/draagvlak-backup.service) runs.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backup.h"
#include "cmd.h"
#include "xalloc.h"
#include "banned.h"

const char cmd_backup_help[] =
	"usage: draagvlak backup [-d FILE] [--keep N] COPY|FOLDER\n"
	"\n"
	"Copy the store with SQLite's online backup while the server keeps\n"
	"running: the copy holds every answer acknowledged before the backup\n"
	"started, is checked (integrity, schema, survey) and appears under\n"
	"its name only when complete.  Given a folder, the copy is named\n"
	"draagvlak-YYYYMMDD-HHMMSS.db there; with --keep N only the newest N\n"
	"such copies are kept.  Put copies back with 'draagvlak restore'.\n"
	"\n"
	"  -d, --db FILE   the store (default: " CMD_DEFAULT_DB ")\n"
	"  -k, --keep N    in a folder, keep the newest N copies (default: "
	"all)\n"
	"  -h, --help      show this help\n";

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Remove all but the newest keep copies draagvlak-*.db in dir. */
static int prune(const char *dir, unsigned long keep)
{
	char **names = NULL;
	size_t nr = 0, alloc = 0;
	struct dirent *e;
	DIR *d = opendir(dir);
	int ret = 0;

	if (!d) {
		cmd_error("cannot read %s: %s", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);

		if (strncmp(e->d_name, "draagvlak-", 10) || n < 14 ||
		    strcmp(e->d_name + n - 3, ".db"))
			continue;
		ALLOC_GROW(names, nr + 1, alloc);
		names[nr++] = xstrdup(e->d_name);
	}
	closedir(d);
	/* The names sort by time: the oldest come first. */
	if (nr)
		qsort(names, nr, sizeof(*names), by_name);
	for (size_t i = 0; i < nr; i++) {
		if (i + keep < nr) {
			struct strbuf p = STRBUF_INIT;

			strbuf_addf(&p, "%s/%s", dir, names[i]);
			if (unlink(p.buf) != 0) {
				cmd_error("cannot remove %s: %s", p.buf,
					  strerror(errno));
				ret = -1;
			}
			strbuf_release(&p);
		}
		free(names[i]);
	}
	free(names);
	return ret;
}

int cmd_backup(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "keep", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = CMD_DEFAULT_DB, *to;
	struct strbuf err = STRBUF_INIT, dst = STRBUF_INIT;
	struct store_backup_info info;
	unsigned long keep = 0;
	struct timespec t0, t1;
	struct stat sb;
	bool folder;
	char *end;
	int c, ret = CMD_FAIL;

	optind = 1;
	while ((c = getopt_long(argc, argv, "d:k:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'k':
			errno = 0;
			keep = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || !keep ||
			    *optarg == '-')
				return cmd_usage_error("backup",
						       "--keep needs a number "
						       "of copies, 1 or more");
			break;
		case 'h': return cmd_print_help("backup");
		default: return cmd_usage_error("backup", "unknown option");
		}
	}
	if (optind != argc - 1)
		return cmd_usage_error("backup", "name one COPY or FOLDER");
	to = argv[optind];
	folder = stat(to, &sb) == 0 && S_ISDIR(sb.st_mode);
	if (keep && !folder)
		return cmd_usage_error("backup", "--keep needs a FOLDER");
	if (folder) {
		time_t now = time(NULL);
		struct tm tm;
		char stamp[32];

		gmtime_r(&now, &tm);
		strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
		strbuf_addf(&dst, "%s/draagvlak-%s.db", to, stamp);
	} else {
		strbuf_addstr(&dst, to);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (store_backup(db, dst.buf, &info, &err) != STORE_OK) {
		cmd_error("%s", err.buf);
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("Copied %s to %s: survey '%s', schema %d, %.1f MB in %.2f s.\n",
	       db, dst.buf, info.survey_id, info.schema_version,
	       (double)(info.pages * info.page_size) / 1e6,
	       (double)(t1.tv_sec - t0.tv_sec) +
		       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	if (keep && prune(to, keep) < 0)
		goto out;
	ret = CMD_OK;
out:
	strbuf_release(&err);
	strbuf_release(&dst);
	return ret;
}
