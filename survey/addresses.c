/*
 * addresses.c - importing an address list into a survey's households
 * (see addresses.h).
 *
 * The import is all or nothing: every line is checked and inserted inside
 * one transaction, problems are collected with their line numbers, and if
 * there was any the transaction is rolled back.  A board that fixes its
 * spreadsheet and imports again never ends up with half a list.
 */
#include "addresses.h"

#include <ctype.h>
#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "households.h"
#include "utf8.h"
#include "xalloc.h"
#include "banned.h"

/* Past this many problems the rest of the file is only counted. */
#define MAX_REPORTED 100

enum column {
	COL_STREET,
	COL_NUMBER,
	COL_LETTER,
	COL_ADDITION,
	COL_POSTCODE,
	COL_PLACE,
	COL_BUURT,
	NR_COLUMNS
};

/* Header names accepted per column: BAG's first, then common aliases. */
static const char *const column_names[NR_COLUMNS][6] = {
	[COL_STREET] = { "openbareruimtenaam", "straat", "straatnaam", "street",
			 NULL },
	[COL_NUMBER] = { "huisnummer", "nummer", "number", "house_number",
			 NULL },
	[COL_LETTER] = { "huisletter", "letter", NULL },
	[COL_ADDITION] = { "huisnummertoevoeging", "toevoeging", "addition",
			   NULL },
	[COL_POSTCODE] = { "postcode", "zip", NULL },
	[COL_PLACE] = { "woonplaatsnaam", "woonplaats", "plaats", "place",
			NULL },
	[COL_BUURT] = { "buurtcode", "buurt", "buurt_id", NULL },
};

static const bool column_required[NR_COLUMNS] = {
	[COL_STREET] = true, [COL_NUMBER] = true, [COL_POSTCODE] = true,
	[COL_PLACE] = true,  [COL_BUURT] = true,
};

struct import {
	struct store *st;
	const struct survey *s;
	struct diag_list *dl;
	long long first_id; /* first household id of this import */
	int *lines;	    /* line of each imported household, by id */
	size_t nr_lines, alloc_lines;

	/* libcsv state */
	char **fields;
	size_t nr_fields, alloc_fields;
	int line;     /* the line being fed to the parser */
	int row_line; /* the line the current row started on */
	bool header_done;
	int col_index[NR_COLUMNS]; /* field index of each column, or -1 */
	size_t header_fields;
	bool update;
	struct survey_import_result res;
	size_t problems;
	bool fatal; /* a store error: stop */
};

static void problem(struct import *im, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(struct import *im, int line, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (im->problems++ >= MAX_REPORTED)
		return;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	diag_error(im->dl, line, 0, "%s", sb.buf);
	strbuf_release(&sb);
}

static void trim(char *s)
{
	size_t len = strlen(s), start = 0;

	while (len && isspace((unsigned char)s[len - 1]))
		s[--len] = '\0';
	while (isspace((unsigned char)s[start]))
		start++;
	memmove(s, s + start, len - start + 1);
}

/* ---- the header ------------------------------------------------------ */

static void read_header(struct import *im)
{
	for (int c = 0; c < NR_COLUMNS; c++)
		im->col_index[c] = -1;
	for (size_t i = 0; i < im->nr_fields; i++) {
		char *name = im->fields[i];

		/* A byte-order mark from spreadsheet exports. */
		if (i == 0 && !strncmp(name, "\xEF\xBB\xBF", 3))
			memmove(name, name + 3, strlen(name + 3) + 1);
		trim(name);
		for (int c = 0; c < NR_COLUMNS; c++)
			for (int k = 0; column_names[c][k]; k++)
				if (!strcasecmp(name, column_names[c][k]) &&
				    im->col_index[c] < 0)
					im->col_index[c] = (int)i;
	}
	for (int c = 0; c < NR_COLUMNS; c++)
		if (column_required[c] && im->col_index[c] < 0)
			problem(im, im->row_line,
				"the header has no column '%s' (or '%s')",
				column_names[c][0], column_names[c][1]);
	im->header_fields = im->nr_fields;
	im->header_done = true;
}

/* ---- one address ----------------------------------------------------- */

/* "4904xa", "4904 XA" -> "4904 XA"; returns false when not a postcode. */
static bool normalise_postcode(const char *in, char out[8])
{
	char digits[5], letters[3];
	int nd = 0, nl = 0;

	for (const char *p = in; *p; p++) {
		if (*p == ' ')
			continue;
		if (isdigit((unsigned char)*p) && nd < 4 && nl == 0)
			digits[nd++] = *p;
		else if (isalpha((unsigned char)*p) && nd == 4 && nl < 2)
			letters[nl++] = (char)toupper((unsigned char)*p);
		else
			return false;
	}
	if (nd != 4 || nl != 2 || digits[0] == '0')
		return false;
	snprintf(out, 8, "%.4s %.2s", digits, letters);
	return true;
}

static const char *field(struct import *im, enum column c)
{
	int i = im->col_index[c];

	return i >= 0 && (size_t)i < im->nr_fields ? im->fields[i] : "";
}

/* Where an address already is: the line in this file, or 0 (the store). */
static int duplicate_line(struct import *im, long long household_id)
{
	long long i = household_id - im->first_id;

	if (im->first_id && i >= 0 && (size_t)i < im->nr_lines)
		return im->lines[i];
	return 0;
}

static void insert_household(struct import *im, const char *buurt,
			     const char *street, long number,
			     const char *letter, const char *addition,
			     const char *postcode, const char *place)
{
	struct store_address a = { street,   number,   letter,
				   addition, postcode, place };
	struct strbuf err = STRBUF_INIT;
	long long id;
	int rc, first;

	rc = store_household_add_address(im->st, buurt, &a, &id, &err);
	if (rc == STORE_EXISTS) {
		first = duplicate_line(im, id);
		if (!first && im->update) {
			im->res.kept++;
		} else if (first) {
			problem(im, im->row_line,
				"%s %ld%s%s%s, %s is already on line %d",
				street, number, letter, *addition ? "-" : "",
				addition, postcode, first);
		} else {
			problem(im, im->row_line,
				"%s %ld%s%s%s, %s was imported before (use "
				"--update to add only new addresses)",
				street, number, letter, *addition ? "-" : "",
				addition, postcode);
		}
	} else if (rc != STORE_OK) {
		problem(im, im->row_line, "%s", err.buf);
		im->fatal = true;
	} else {
		if (!im->first_id)
			im->first_id = id;
		ALLOC_GROW(im->lines, (size_t)(id - im->first_id) + 1,
			   im->alloc_lines);
		im->lines[id - im->first_id] = im->row_line;
		im->nr_lines = (size_t)(id - im->first_id) + 1;
		im->res.added++;
	}
	strbuf_release(&err);
}

static void read_row(struct import *im)
{
	const char *buurt, *street, *place, *letter, *addition, *num;
	char postcode[8], letter_up[2] = "";
	bool ok = true;
	long number = 0;
	char *end;

	for (size_t i = 0; i < im->nr_fields; i++) {
		if (!utf8_valid(im->fields[i], strlen(im->fields[i]))) {
			problem(im, im->row_line,
				"field %zu is not valid UTF-8; save the file "
				"as UTF-8",
				i + 1);
			return;
		}
		trim(im->fields[i]);
	}
	if (im->nr_fields == 1 && !*im->fields[0])
		return; /* an empty line */
	if (im->nr_fields != im->header_fields) {
		problem(im, im->row_line,
			"this line has %zu fields, the header %zu",
			im->nr_fields, im->header_fields);
		return;
	}
	street = field(im, COL_STREET);
	num = field(im, COL_NUMBER);
	letter = field(im, COL_LETTER);
	addition = field(im, COL_ADDITION);
	place = field(im, COL_PLACE);
	buurt = field(im, COL_BUURT);

	if (!*street) {
		problem(im, im->row_line, "the street is empty");
		ok = false;
	}
	errno = 0;
	number = strtol(num, &end, 10);
	if (!*num || *end || errno || number < 1 || number > 99999) {
		problem(im, im->row_line,
			"house number '%s' is not a number from 1 to 99999",
			num);
		ok = false;
	}
	if (*letter) {
		if (strlen(letter) != 1 || !isalpha((unsigned char)*letter)) {
			problem(im, im->row_line,
				"house letter '%s' must be one letter", letter);
			ok = false;
		} else {
			letter_up[0] = (char)toupper((unsigned char)*letter);
		}
	}
	if (strlen(addition) > 4) {
		problem(im, im->row_line,
			"addition '%s' is longer than the 4 characters BAG "
			"allows",
			addition);
		ok = false;
	}
	if (!normalise_postcode(field(im, COL_POSTCODE), postcode)) {
		problem(im, im->row_line,
			"postcode '%s' is not a Dutch postcode like 4904 XA",
			field(im, COL_POSTCODE));
		ok = false;
	}
	if (!*place) {
		problem(im, im->row_line, "the place (woonplaats) is empty");
		ok = false;
	}
	if (!survey_find_buurt(im->s, buurt)) {
		problem(im, im->row_line,
			"buurt '%s' is not one of the survey's buurten", buurt);
		ok = false;
	}
	if (ok)
		insert_household(im, buurt, street, number, letter_up, addition,
				 postcode, place);
}

/* ---- libcsv callbacks ------------------------------------------------ */

static void on_field(void *data, size_t len, void *ctx)
{
	struct import *im = ctx;

	ALLOC_GROW(im->fields, im->nr_fields + 1, im->alloc_fields);
	im->fields[im->nr_fields++] =
		xstrndup(data ? data : "", data ? len : 0);
}

static void on_row(int term, void *ctx)
{
	struct import *im = ctx;

	(void)term;
	if (!im->fatal) {
		if (!im->header_done)
			read_header(im);
		else
			read_row(im);
	}
	for (size_t i = 0; i < im->nr_fields; i++)
		free(im->fields[i]);
	im->nr_fields = 0;
	im->row_line = im->line + 1;
}

/* The separator the header line uses most: ; , or tab. */
static unsigned char guess_delimiter(const char *buf, size_t len)
{
	size_t semi = 0, comma = 0, tab = 0;

	for (size_t i = 0; i < len && buf[i] != '\n'; i++) {
		semi += buf[i] == ';';
		comma += buf[i] == ',';
		tab += buf[i] == '\t';
	}
	if (tab > semi && tab > comma)
		return '\t';
	return semi > comma ? ';' : ',';
}

static void parse_buffer(struct import *im, const char *buf, size_t len)
{
	struct csv_parser csv;
	size_t pos = 0;

	csv_init(&csv, CSV_APPEND_NULL);
	csv_set_delim(&csv, guess_delimiter(buf, len));
	im->line = 1;
	im->row_line = 1;
	/* Feed line by line so that each row knows where it started. */
	while (pos < len && !im->fatal) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (buf + pos)) + 1 : len - pos;

		/*
		 * libcsv skips empty lines without a callback, so a row starts
		 * wherever the parser is between rows (pstate 0 is libcsv's
		 * ROW_NOT_BEGUN) when a line is fed.
		 */
		if (csv.pstate == 0)
			im->row_line = im->line;
		if (csv_parse(&csv, buf + pos, n, on_field, on_row, im) != n) {
			problem(im, im->line, "cannot read this line: %s",
				csv_strerror(csv_error(&csv)));
			break;
		}
		pos += n;
		if (nl)
			im->line++;
	}
	if (csv_fini(&csv, on_field, on_row, im) != 0 && !im->fatal)
		problem(im, im->line, "the file ends inside a quoted field");
	csv_free(&csv);
}

int survey_households_import(struct store *st, const struct survey *s,
			     const char *path, bool update,
			     struct diag_list *dl,
			     struct survey_import_result *res)
{
	struct import im = { .st = st, .s = s, .dl = dl, .update = update };
	struct strbuf buf = STRBUF_INIT, err = STRBUF_INIT;
	size_t errors_before = dl->errors;
	int ret = -1;

	if (strbuf_read_file(&buf, path) < 0) {
		diag_error(dl, 0, 0, "cannot open the file: %s",
			   strerror(errno));
		goto out;
	}
	if (store_begin(st, &err) < 0) {
		diag_error(dl, 0, 0, "%s", err.buf);
		goto out;
	}
	parse_buffer(&im, buf.buf, buf.len);
	if (!im.header_done)
		diag_error(dl, 1, 0,
			   "the file is empty; it needs a header "
			   "line naming the columns");
	if (im.problems > MAX_REPORTED)
		diag_error(dl, 0, 0, "... and %zu more problems",
			   im.problems - MAX_REPORTED);
	if (dl->errors > errors_before)
		goto out_rollback;
	if (store_commit(st, &err) < 0) {
		diag_error(dl, 0, 0, "%s", err.buf);
		goto out_rollback;
	}
	*res = im.res;
	ret = 0;
	goto out;
out_rollback:
	store_rollback(st);
out:
	for (size_t i = 0; i < im.nr_fields; i++)
		free(im.fields[i]);
	free(im.fields);
	free(im.lines);
	strbuf_release(&buf);
	strbuf_release(&err);
	return ret;
}
