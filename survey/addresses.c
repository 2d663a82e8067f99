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
#include "msg.h"
#include "utf8.h"
#include "xalloc.h"
#include "banned.h"

/* Past this many different problems the rest is only counted. */
#define MAX_REPORTED 100
/* Lines named beside a problem that repeats. */
#define MAX_LINES_NAMED 5

enum column {
	COL_STREET,
	COL_NUMBER,
	COL_LETTER,
	COL_ADDITION,
	COL_POSTCODE,
	COL_PLACE,
	COL_BUURT,
	COL_ADULTS, /* voters of 18+ at the address (voting_unit resident) */
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
	[COL_ADULTS] = { "volwassenen", "inwoners_18plus", "adults",
			 "kiesgerechtigden", NULL },
};

/* Most voters of 18+ taken at one address: beyond it, a typo. */
#define MAX_ADULTS 50

static const bool column_required[NR_COLUMNS] = {
	[COL_STREET] = true, [COL_NUMBER] = true, [COL_POSTCODE] = true,
	[COL_PLACE] = true,  [COL_BUURT] = true,
};

/*
 * One problem and the lines it is on: Excel's 150 rows of "Kern" where
 * the definition says "kern" are one problem, not 150 that hide the rest.
 */
struct problem_group {
	char *msg;
	int line; /* the first */
	size_t count;
	int more[MAX_LINES_NAMED];
};

struct import {
	struct store *st;
	enum survey_lang lang;
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
	size_t problems, unreported, blank_rows;
	bool from_cp1252;
	struct problem_group *groups;
	size_t nr_groups, alloc_groups;
	bool fatal; /* a store error: stop */
};

static void add_problem(struct import *im, int line, const char *msg)
{
	struct problem_group *g;

	im->problems++;
	for (size_t i = 0; i < im->nr_groups; i++) {
		g = &im->groups[i];
		if (strcmp(g->msg, msg))
			continue;
		if (g->count - 1 < MAX_LINES_NAMED)
			g->more[g->count - 1] = line;
		g->count++;
		return;
	}
	if (im->nr_groups >= MAX_REPORTED) {
		im->unreported++;
		return;
	}
	ALLOC_GROW(im->groups, im->nr_groups + 1, im->alloc_groups);
	g = &im->groups[im->nr_groups++];
	memset(g, 0, sizeof(*g));
	g->msg = xstrdup(msg);
	g->line = line;
	g->count = 1;
}

/* A problem from the catalogue, with its values. */
static void problemv(struct import *im, int line, enum msg_id id,
		     const char *const *args, size_t n)
{
	struct strbuf sb = STRBUF_INIT;

	msg_addv(&sb, im->lang, id, args, n);
	add_problem(im, line, sb.buf);
	strbuf_release(&sb);
}
#define problem(im, line, id, ...)                                             \
	problemv(im, line, id, (const char *const[]){ __VA_ARGS__ },           \
		 sizeof((const char *const[]){ __VA_ARGS__ }) /                \
			 sizeof(const char *))
#define problem0(im, line, id) problemv(im, line, id, NULL, 0)

/* Each problem once, at its first line, naming where else it is. */
static void report_problems(struct import *im)
{
	for (size_t i = 0; i < im->nr_groups; i++) {
		struct problem_group *g = &im->groups[i];
		struct strbuf lines = STRBUF_INIT, sb = STRBUF_INIT;
		char n[24];

		if (g->count == 1) {
			diag_error(im->dl, g->line, 0, "%s", g->msg);
			continue;
		}
		for (size_t k = 0; k < g->count - 1 && k < MAX_LINES_NAMED; k++)
			strbuf_addf(&lines, "%s%d", k ? ", " : "", g->more[k]);
		if (g->count - 1 > MAX_LINES_NAMED)
			strbuf_addstr(&lines, ", ...");
		snprintf(n, sizeof(n), "%zu", g->count - 1);
		msg_add(&sb, im->lang, MSG_IMPORT_ALSO_ON, n, lines.buf);
		diag_error(im->dl, g->line, 0, "%s %s", g->msg, sb.buf);
		strbuf_release(&lines);
		strbuf_release(&sb);
	}
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
		if ((column_required[c] ||
		     (c == COL_ADULTS &&
		      im->s->voting_unit == SURVEY_UNIT_RESIDENT)) &&
		    im->col_index[c] < 0)
			problem(im, im->row_line, MSG_IMPORT_HEADER_MISSING,
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
			     const char *postcode, const char *place,
			     int resident, int residents)
{
	struct store_address a = { street,   number, letter,   addition,
				   postcode, place,  resident, residents };
	struct strbuf err = STRBUF_INIT;
	long long id;
	int rc, first;

	rc = store_household_add_address(im->st, buurt, &a, &id, &err);
	if (rc == STORE_EXISTS) {
		struct strbuf addr = STRBUF_INIT;
		char at[24];

		strbuf_addf(&addr, "%s %ld%s%s%s, %s", street, number, letter,
			    *addition ? "-" : "", addition, postcode);
		first = duplicate_line(im, id);
		snprintf(at, sizeof(at), "%d", first);
		if (!first && im->update)
			im->res.kept++;
		else if (first)
			problem(im, im->row_line, MSG_IMPORT_DUPLICATE,
				addr.buf, at);
		else
			problem(im, im->row_line, MSG_IMPORT_IMPORTED_BEFORE,
				addr.buf);
		strbuf_release(&addr);
	} else if (rc != STORE_OK) {
		add_problem(im, im->row_line, err.buf);
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

/* The survey's buurt whose id is id, without regard to case. */
static const struct survey_buurt *find_buurt(const struct survey *s,
					     const char *id)
{
	const struct survey_buurt *b = survey_find_buurt(s, id);

	for (size_t i = 0; !b && i < s->nr_buurten; i++)
		if (s->buurten[i].id && !strcasecmp(s->buurten[i].id, id))
			b = &s->buurten[i];
	return b;
}

static void buurt_ids(const struct survey *s, struct strbuf *out)
{
	for (size_t i = 0; i < s->nr_buurten; i++)
		strbuf_addf(out, "%s%s", i ? ", " : "", s->buurten[i].id);
}

static void read_row(struct import *im)
{
	const char *street, *place, *letter, *addition, *num;
	const struct survey_buurt *buurt;
	char postcode[8], letter_up[2] = "", nf[24], nh[24];
	bool ok = true, blank = true;
	long number = 0, adults = 1;
	char *end;

	for (size_t i = 0; i < im->nr_fields; i++) {
		snprintf(nf, sizeof(nf), "%zu", i + 1);
		if (!utf8_valid(im->fields[i], strlen(im->fields[i]))) {
			problem(im, im->row_line, MSG_IMPORT_BAD_BYTES, nf);
			return;
		}
		/* A stray quote opened a field that ran on to other lines. */
		if (strpbrk(im->fields[i], "\r\n")) {
			problem(im, im->row_line, MSG_IMPORT_LINE_BREAK, nf);
			return;
		}
		trim(im->fields[i]);
		blank = blank && !*im->fields[i];
	}
	if (blank) {
		/* An empty line, or Excel's ";;;;;;" rows at the bottom. */
		if (im->nr_fields > 1)
			im->blank_rows++;
		return;
	}
	if (im->nr_fields != im->header_fields) {
		snprintf(nf, sizeof(nf), "%zu", im->nr_fields);
		snprintf(nh, sizeof(nh), "%zu", im->header_fields);
		problem(im, im->row_line, MSG_IMPORT_FIELDS, nf, nh);
		return;
	}
	street = field(im, COL_STREET);
	num = field(im, COL_NUMBER);
	letter = field(im, COL_LETTER);
	addition = field(im, COL_ADDITION);
	place = field(im, COL_PLACE);

	if (!*street) {
		problem0(im, im->row_line, MSG_IMPORT_STREET_EMPTY);
		ok = false;
	}
	errno = 0;
	number = strtol(num, &end, 10);
	if (!*num || *end || errno || number < 1 || number > 99999) {
		problem(im, im->row_line, MSG_IMPORT_NUMBER, num);
		ok = false;
	}
	if (*letter) {
		if (strlen(letter) != 1 || !isalpha((unsigned char)*letter)) {
			problem(im, im->row_line, MSG_IMPORT_LETTER, letter);
			ok = false;
		} else {
			letter_up[0] = (char)toupper((unsigned char)*letter);
		}
	}
	if (strlen(addition) > 4) {
		problem(im, im->row_line, MSG_IMPORT_ADDITION, addition);
		ok = false;
	}
	if (!normalise_postcode(field(im, COL_POSTCODE), postcode)) {
		problem(im, im->row_line, MSG_IMPORT_POSTCODE,
			field(im, COL_POSTCODE));
		ok = false;
	}
	if (!*place) {
		problem0(im, im->row_line, MSG_IMPORT_PLACE_EMPTY);
		ok = false;
	}
	buurt = find_buurt(im->s, field(im, COL_BUURT));
	if (!buurt) {
		struct strbuf ids = STRBUF_INIT;

		buurt_ids(im->s, &ids);
		problem(im, im->row_line, MSG_IMPORT_BUURT,
			field(im, COL_BUURT), ids.buf);
		strbuf_release(&ids);
		ok = false;
	}
	if (im->s->voting_unit == SURVEY_UNIT_RESIDENT) {
		const char *a = field(im, COL_ADULTS);

		errno = 0;
		adults = strtol(a, &end, 10);
		if (!*a || *end || errno || adults < 1 || adults > MAX_ADULTS) {
			problem(im, im->row_line, MSG_IMPORT_ADULTS, a);
			ok = false;
		}
	}
	/* One unit, or with voting_unit resident one per voter of 18+. */
	for (long r = 1; ok && r <= adults && !im->fatal; r++)
		insert_household(im, buurt->id, street, number, letter_up,
				 addition, postcode, place, (int)r,
				 (int)adults);
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

	/*
	 * CSV_STRICT_FINI (which needs CSV_STRICT): a file that ends inside
	 * a quoted field is an error, not a last field that swallowed the
	 * rest of the file.  CSV_STRICT also refuses a quote in the middle
	 * of an unquoted field, naming the line.
	 */
	csv_init(&csv, CSV_APPEND_NULL | CSV_STRICT | CSV_STRICT_FINI);
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
			problem(im, im->line, MSG_IMPORT_CANNOT_READ,
				csv_strerror(csv_error(&csv)));
			break;
		}
		pos += n;
		if (nl)
			im->line++;
	}
	/* Name the line where the open field starts, not the last one. */
	if (csv_fini(&csv, on_field, on_row, im) != 0 && !im->fatal)
		problem0(im, im->row_line, MSG_IMPORT_OPEN_QUOTE);
	csv_free(&csv);
}

/*
 * Windows-1252, as Excel saves a CSV by default: 0x80-0x9F are the
 * characters below (0 where the code page has none), the bytes above are
 * Latin-1, that is the code points themselves.
 */
static const unsigned short cp1252_high[32] = {
	0x20AC, 0,	0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,	0x017D, 0,
	0,	0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,	0x017E, 0x0178,
};

/*
 * Whether buf is Windows-1252 rather than UTF-8: not valid UTF-8, and not
 * one valid UTF-8 sequence of more than one byte in it (a file that has
 * some is UTF-8 with a few bad bytes, which are reported as such).
 */
static bool looks_cp1252(const char *buf, size_t len)
{
	const unsigned char *p = (const unsigned char *)buf;

	if (utf8_valid(buf, len))
		return false;
	for (size_t i = 0; i < len; i++) {
		size_t n = p[i] >= 0xF0	  ? 4
			   : p[i] >= 0xE0 ? 3
			   : p[i] >= 0xC2 ? 2
					  : 1;

		if (n > 1 && i + n <= len && utf8_valid(buf + i, n))
			return false;
	}
	return true;
}

/* Windows-1252 to UTF-8; a byte the code page lacks stays as it is. */
static void cp1252_to_utf8(const char *buf, size_t len, struct strbuf *out)
{
	for (size_t i = 0; i < len; i++) {
		unsigned c = (unsigned char)buf[i];

		if (c >= 0x80 && c < 0xA0 && cp1252_high[c - 0x80])
			c = cp1252_high[c - 0x80];
		else if (c >= 0x80 && c < 0xA0) {
			strbuf_addch(out, (char)c); /* reported as bad bytes */
			continue;
		}
		if (c < 0x80) {
			strbuf_addch(out, (char)c);
		} else if (c < 0x800) {
			strbuf_addch(out, (char)(0xC0 | c >> 6));
			strbuf_addch(out, (char)(0x80 | (c & 0x3F)));
		} else {
			strbuf_addch(out, (char)(0xE0 | c >> 12));
			strbuf_addch(out, (char)(0x80 | (c >> 6 & 0x3F)));
			strbuf_addch(out, (char)(0x80 | (c & 0x3F)));
		}
	}
}

int survey_households_import(struct store *st, const struct survey *s,
			     const char *path, bool update,
			     struct diag_list *dl,
			     struct survey_import_result *res)
{
	return survey_households_import_lang(st, s, path, update, SURVEY_EN, dl,
					     res);
}

int survey_households_import_lang(struct store *st, const struct survey *s,
				  const char *path, bool update,
				  enum survey_lang lang, struct diag_list *dl,
				  struct survey_import_result *res)
{
	struct strbuf buf = STRBUF_INIT, m = STRBUF_INIT;
	int ret = -1;

	if (strbuf_read_file(&buf, path) < 0) {
		msg_add(&m, lang, MSG_IMPORT_CANNOT_OPEN, strerror(errno));
		diag_error(dl, 0, 0, "%s", m.buf);
		goto out;
	}
	ret = survey_households_import_buffer(st, s, buf.buf, buf.len, update,
					      lang, dl, res);
out:
	strbuf_release(&buf);
	strbuf_release(&m);
	return ret;
}

int survey_households_import_buffer(struct store *st, const struct survey *s,
				    const char *data, size_t len, bool update,
				    enum survey_lang lang, struct diag_list *dl,
				    struct survey_import_result *res)
{
	struct import im = {
		.st = st, .s = s, .dl = dl, .update = update, .lang = lang
	};
	struct strbuf conv = STRBUF_INIT, err = STRBUF_INIT;
	struct strbuf m = STRBUF_INIT;
	size_t errors_before = dl->errors;
	int ret = -1;

	if (looks_cp1252(data, len)) {
		cp1252_to_utf8(data, len, &conv);
		data = conv.buf;
		len = conv.len;
		im.from_cp1252 = true;
	}
	if (store_begin(st, &err) < 0) {
		diag_error(dl, 0, 0, "%s", err.buf);
		goto out;
	}
	parse_buffer(&im, data, len);
	if (!im.header_done)
		problem0(&im, 1, MSG_IMPORT_EMPTY);
	report_problems(&im);
	if (im.unreported) {
		char n[24];

		snprintf(n, sizeof(n), "%zu", im.unreported);
		strbuf_reset(&m);
		msg_add(&m, lang, MSG_IMPORT_MORE, n);
		diag_error(dl, 0, 0, "%s", m.buf);
	}
	if (dl->errors > errors_before)
		goto out_rollback;
	if (store_commit(st, &err) < 0) {
		diag_error(dl, 0, 0, "%s", err.buf);
		goto out_rollback;
	}
	*res = im.res;
	res->from_windows_1252 = im.from_cp1252;
	res->blank_rows = im.blank_rows;
	ret = 0;
	goto out;
out_rollback:
	store_rollback(st);
out:
	for (size_t i = 0; i < im.nr_fields; i++)
		free(im.fields[i]);
	free(im.fields);
	for (size_t i = 0; i < im.nr_groups; i++)
		free(im.groups[i].msg);
	free(im.groups);
	free(im.lines);
	strbuf_release(&conv);
	strbuf_release(&err);
	strbuf_release(&m);
	return ret;
}
