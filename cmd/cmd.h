/*
 * cmd.h - the draagvlak command: its subcommands and what they share.
 *
 * Each subcommand lives in its own cmd-NAME.c and is registered once, in
 * the table in draagvlak.c.  Every subcommand takes its own arguments
 * (argv[0] is its name), prints its help for -h/--help, and returns one of
 * the exit statuses below.  Errors go to stderr as one plain sentence.
 */
#ifndef DRAAGVLAK_CMD_H
#define DRAAGVLAK_CMD_H

#include <stdbool.h>

#include "definition.h"
#include "store.h"
#include "survey.h"

enum { CMD_OK = 0, CMD_FAIL = 1, CMD_USAGE = 2 };

/* The store every subcommand uses unless -d/--db names another. */
#define CMD_DEFAULT_DB "draagvlak.db"

struct cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary; /* one line for `draagvlak help` */
	const char *help;    /* the full text for `draagvlak NAME --help` */
};

int cmd_check(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_households(int argc, char **argv);
int cmd_analyse(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_simulate(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_evening(int argc, char **argv);
int cmd_close(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_archive(int argc, char **argv);
int cmd_publish(int argc, char **argv);
int cmd_replace_code(int argc, char **argv);
int cmd_host(int argc, char **argv);
int cmd_remind(int argc, char **argv);
int cmd_privacy(int argc, char **argv);

extern const char cmd_check_help[];
extern const char cmd_init_help[];
extern const char cmd_households_help[];
extern const char cmd_analyse_help[];
extern const char cmd_export_help[];
extern const char cmd_simulate_help[];
extern const char cmd_render_help[];
extern const char cmd_serve_help[];
extern const char cmd_user_help[];
extern const char cmd_scan_help[];
extern const char cmd_backup_help[];
extern const char cmd_restore_help[];
extern const char cmd_evening_help[];
extern const char cmd_close_help[];
extern const char cmd_record_help[];
extern const char cmd_verify_help[];
extern const char cmd_archive_help[];
extern const char cmd_publish_help[];
extern const char cmd_replace_code_help[];
extern const char cmd_host_help[];
extern const char cmd_remind_help[];
extern const char cmd_privacy_help[];

/*
 * Draw up the count record of the closed survey in st (kept in the store
 * when it differs from the latest) and write it to pdf in lang; the
 * numbers into now (initialised by the caller).  Says what it did
 * unless quiet; 0, or -1 after saying why (cmd-record.c).
 */
struct analysis_record;
int cmd_record_write(struct store *st, const struct survey *s, const char *by,
		     enum survey_lang lang, const char *pdf, bool quiet,
		     struct analysis_record *now);

/* The subcommand called name, or NULL. */
const struct cmd *cmd_find(const char *name);

/* "draagvlak: MESSAGE" on stderr. */
void cmd_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A usage error for the subcommand name; returns CMD_USAGE. */
int cmd_usage_error(const char *name, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Print the help of name to stdout; returns CMD_OK. */
int cmd_print_help(const char *name);

/*
 * Open the store at path and load its survey; prints the reason and
 * returns -1 when either fails.  Free with store_free() and
 * survey_free().
 */
int cmd_open_survey(const char *path, struct store **st, struct survey **s);

/*
 * Write len bytes of data to path through a temporary file beside it,
 * renamed when complete: 0, or -1 with a sentence in err and nothing
 * left at path.
 */
int cmd_write_file(const char *path, const void *data, size_t len,
		   struct strbuf *err);

#endif
