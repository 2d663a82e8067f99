/*
 * test_strbuf.c - unit tests for the string builder (common/strbuf.c) and
 * the diagnostics list (common/diag.c).
 *
 * Every piece of text draagvlak writes goes through a strbuf, so the
 * escapers are tested on the characters that break each target: markup in
 * HTML, separators and formulas in CSV (a resident's free-text answer
 * must never run in a board member's spreadsheet), control characters in
 * JSON.  Diagnostics are tested in the exact form editors jump to.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>

#include "diag.h"
#include "strbuf.h"
#include "banned.h"

/* ---- strbuf ------------------------------------------------------------ */

static void test_init_is_empty(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct strbuf sb2;

	(void)state;
	assert_non_null(sb.buf);
	assert_string_equal(sb.buf, "");
	assert_int_equal(sb.len, 0);
	assert_int_equal(sb.alloc, 0);
	strbuf_release(&sb); /* untouched: a no-op */
	strbuf_release(NULL);

	strbuf_init(&sb2, 100);
	assert_true(sb2.alloc >= 101);
	assert_int_equal(sb2.len, 0);
	assert_string_equal(sb2.buf, "");
	strbuf_release(&sb2);
	assert_int_equal(sb2.alloc, 0);
	assert_string_equal(sb2.buf, "");
}

static void test_appends(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	strbuf_addstr(&sb, "draag");
	strbuf_addch(&sb, 'v');
	strbuf_add(&sb, "lakXXX", 3);
	assert_string_equal(sb.buf, "draagvlak");
	assert_int_equal(sb.len, 9);
	strbuf_addstr(&sb, "");
	assert_int_equal(sb.len, 9);
	strbuf_add(&sb, "a\0b", 3); /* embedded NUL is kept */
	assert_int_equal(sb.len, 12);
	assert_memory_equal(sb.buf + 9, "a\0b", 4);

	/* Many small appends grow the buffer past its first size. */
	strbuf_reset(&sb);
	for (int i = 0; i < 1000; i++)
		strbuf_addch(&sb, 'a' + i % 26);
	assert_int_equal(sb.len, 1000);
	assert_int_equal(strlen(sb.buf), 1000);
	assert_int_equal(sb.buf[999], 'a' + 999 % 26);
	assert_true(sb.alloc > 1000);
	strbuf_release(&sb);
}

static void test_addf(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char want[400];

	(void)state;
	strbuf_addf(&sb, "%d huishoudens in %s", 412, "Dorst-Oost");
	assert_string_equal(sb.buf, "412 huishoudens in Dorst-Oost");
	strbuf_addf(&sb, "%s", "");
	assert_string_equal(sb.buf, "412 huishoudens in Dorst-Oost");

	/* Longer than the 64 bytes addf first makes room for: regrows. */
	strbuf_reset(&sb);
	strbuf_addstr(&sb, "[");
	strbuf_addf(&sb, "%s-%0200d-%s", "begin", 7, "eind");
	snprintf(want, sizeof(want), "[begin-%0200d-eind", 7);
	assert_string_equal(sb.buf, want);
	assert_int_equal(sb.len, strlen(want));
	assert_int_equal(sb.len, 1 + 6 + 200 + 5);

	/* Exactly at the boundary of the room made. */
	for (size_t n = 60; n < 70; n++) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%*d", (int)n, 1);
		assert_int_equal(sb.len, n);
		assert_int_equal(strlen(sb.buf), n);
		assert_int_equal(sb.buf[n - 1], '1');
	}
	strbuf_release(&sb);
}

static void test_detach_release_reset(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len = 99;
	char *s;

	(void)state;
	/* Detaching an untouched strbuf gives a fresh, freeable "". */
	s = strbuf_detach(&sb, &len);
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	assert_ptr_not_equal(s, strbuf_slopbuf);
	free(s);

	strbuf_addstr(&sb, "Dorpsplatform Dorst");
	s = strbuf_detach(&sb, &len);
	assert_string_equal(s, "Dorpsplatform Dorst");
	assert_int_equal(len, 19);
	/* sb is empty and reusable, and no longer owns s. */
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb.buf, "");
	strbuf_addstr(&sb, "opnieuw");
	assert_string_equal(sb.buf, "opnieuw");
	assert_string_equal(s, "Dorpsplatform Dorst");
	free(s);

	s = strbuf_detach(&sb, NULL); /* len may be NULL */
	assert_string_equal(s, "opnieuw");
	free(s);

	strbuf_addstr(&sb, "abcdef");
	strbuf_setlen(&sb, 3);
	assert_string_equal(sb.buf, "abc");
	assert_int_equal(sb.len, 3);
	strbuf_reset(&sb);
	assert_string_equal(sb.buf, "");
	assert_int_equal(sb.len, 0);
	assert_true(sb.alloc > 0); /* reset keeps the buffer */
	strbuf_addstr(&sb, "x");
	assert_string_equal(sb.buf, "x");
	strbuf_release(&sb);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb.buf, "");
	strbuf_reset(&sb); /* on the shared empty buffer: harmless */
	assert_string_equal(strbuf_slopbuf, "");
	strbuf_release(&sb); /* twice is fine */
}

static void test_rtrim(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	strbuf_rtrim(&sb); /* untouched */
	assert_string_equal(sb.buf, "");
	strbuf_addstr(&sb, "  tekst \t\r\n \n");
	strbuf_rtrim(&sb);
	assert_string_equal(sb.buf, "  tekst");
	assert_int_equal(sb.len, 7);
	strbuf_rtrim(&sb);
	assert_string_equal(sb.buf, "  tekst");
	strbuf_reset(&sb);
	strbuf_addstr(&sb, " \t\n");
	strbuf_rtrim(&sb);
	assert_string_equal(sb.buf, "");
	assert_int_equal(sb.len, 0);
	strbuf_release(&sb);
}

/* ---- escapers ---------------------------------------------------------- */

static void check_html(const char *in, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_add_html(&sb, in);
	assert_string_equal(sb.buf, want);
	strbuf_release(&sb);
}

static void test_html(void **state)
{
	(void)state;
	check_html("", "");
	check_html("gewoon tekst", "gewoon tekst");
	check_html("a & b", "a &amp; b");
	check_html("<script>alert(1)</script>",
		   "&lt;script&gt;alert(1)&lt;/script&gt;");
	check_html("\"x\" 'y'", "&quot;x&quot; &#39;y&#39;");
	check_html("&amp;", "&amp;amp;");
	check_html("één café", "één café"); /* UTF-8 unchanged */
}

static void check_csv(const char *in, char delim, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_add_csv(&sb, in, delim);
	if (strcmp(sb.buf, want))
		fail_msg("csv(\"%s\", '%c'): got [%s], want [%s]", in, delim,
			 sb.buf, want);
	strbuf_release(&sb);
}

static void test_csv(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	check_csv("", ',', "");
	check_csv("Dorst-Oost", ',', "Dorst-Oost");
	check_csv("a,b", ',', "\"a,b\"");
	check_csv("a;b", ',', "a;b");
	check_csv("a;b", ';', "\"a;b\"");
	check_csv("a,b", ';', "a,b");
	check_csv("zeg \"nee\"", ',', "\"zeg \"\"nee\"\"\"");
	check_csv("regel 1\nregel 2", ';', "\"regel 1\nregel 2\"");
	check_csv("regel 1\r\nregel 2", ',', "\"regel 1\r\nregel 2\"");
	check_csv("\"", ',', "\"\"\"\"");

	/* Formulas are defused; numbers with a sign are left alone. */
	check_csv("=SUM(A1)", ',', "'=SUM(A1)");
	check_csv("=SUM(A1;A2)", ';', "\"'=SUM(A1;A2)\"");
	check_csv("=HYPERLINK(\"http://x\")", ',',
		  "\"'=HYPERLINK(\"\"http://x\"\")\"");
	check_csv("@SUM(A1)", ',', "'@SUM(A1)");
	check_csv("+cmd|' /C calc'!A0", ',', "'+cmd|' /C calc'!A0");
	check_csv("-foo", ',', "'-foo");
	check_csv("-3", ',', "-3");
	check_csv("+31", ',', "+31");
	check_csv("-2.5", ',', "-2.5");
	check_csv("+31 6 12345678", ',', "'+31 6 12345678");
	check_csv("a=b", ',', "a=b"); /* only a leading = is a formula */
	check_csv("3-2", ',', "3-2");
	/* Issue 18: a leading TAB or CR started a formula all the same. */
	check_csv("\t=1+1", ',', "\"'\t=1+1\"");
	check_csv("\r=1+1", ',', "'=1+1");
	check_csv("\r\n=1+1", ',', "\"'\r\n=1+1\"");
	/* No terminal escapes: ESC, BEL, DEL, C1 CSI; UTF-8 stays. */
	check_csv("a\x1b]0;pwned\x07"
		  "b",
		  ',', "a]0;pwnedb");
	check_csv("\x1b=1", ',', "'=1");
	check_csv("x\x7fy\xc2\x9b"
		  "z caf\xc3\xa9",
		  ',', "xyz caf\xc3\xa9");

	/* Appends, like every other strbuf function. */
	strbuf_addstr(&sb, "x;");
	strbuf_add_csv(&sb, "y;z", ';');
	strbuf_addch(&sb, ';');
	strbuf_add_csv(&sb, "-1", ';');
	assert_string_equal(sb.buf, "x;\"y;z\";-1");
	strbuf_release(&sb);
}

static void check_json(const char *in, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_add_json(&sb, in);
	assert_string_equal(sb.buf, want);
	strbuf_release(&sb);
}

static void test_json(void **state)
{
	(void)state;
	check_json("", "\"\"");
	check_json("speelveld", "\"speelveld\"");
	check_json("zeg \"ja\"", "\"zeg \\\"ja\\\"\"");
	check_json("C:\\pad", "\"C:\\\\pad\"");
	check_json("a\nb\rc\td", "\"a\\nb\\rc\\td\"");
	check_json("\x01", "\"\\u0001\"");
	check_json("x\x1fy", "\"x\\u001fy\"");
	check_json("\x08\x0c", "\"\\u0008\\u000c\"");
	check_json("</script>", "\"</script>\"");
	/* UTF-8 passes through as is. */
	check_json("één café €", "\"één café €\"");
	check_json("\xf0\x9f\x8c\xb3", "\"\xf0\x9f\x8c\xb3\"");
}

/* ---- diag -------------------------------------------------------------- */

static void test_diag_format_and_order(void **state)
{
	struct diag_list dl;
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	diag_list_init(&dl, "survey.yaml");
	assert_string_equal(dl.file, "survey.yaml");
	diag_error(&dl, 12, 5, "unknown key '%s'", "titel");
	diag_warning(&dl, 3, 9, "no English text");
	diag_error(&dl, 12, 3, "first on line 12");
	diag_error(&dl, 0, 0, "the file is not valid UTF-8");
	diag_error(&dl, 2, 0, "line without column");
	diag_error(&dl, 3, 9, "same place, found later");
	assert_int_equal(dl.nr, 6);
	assert_int_equal(dl.errors, 5);
	assert_int_equal(dl.warnings, 1);

	diag_list_format(&dl, &sb);
	/* By line, then column; equal places in the order found; those
	 * without a line are about the whole input and come last. */
	assert_string_equal(sb.buf,
			    "survey.yaml:2: line without column\n"
			    "survey.yaml:3:9: warning: no English text\n"
			    "survey.yaml:3:9: same place, found later\n"
			    "survey.yaml:12:3: first on line 12\n"
			    "survey.yaml:12:5: unknown key 'titel'\n"
			    "survey.yaml: the file is not valid UTF-8\n");
	/* Sorted in place. */
	assert_int_equal(dl.items[0].line, 2);
	assert_int_equal(dl.items[4].line, 12);
	assert_int_equal(dl.items[4].column, 5);
	assert_int_equal(dl.items[5].line, 0);
	assert_int_equal(dl.items[1].level, DIAG_WARNING);

	/* Formatting again (already sorted) gives the same text. */
	strbuf_reset(&sb);
	diag_list_format(&dl, &sb);
	assert_string_equal(sb.buf,
			    "survey.yaml:2: line without column\n"
			    "survey.yaml:3:9: warning: no English text\n"
			    "survey.yaml:3:9: same place, found later\n"
			    "survey.yaml:12:3: first on line 12\n"
			    "survey.yaml:12:5: unknown key 'titel'\n"
			    "survey.yaml: the file is not valid UTF-8\n");

	diag_list_release(&dl);
	assert_null(dl.items);
	assert_int_equal(dl.nr, 0);
	assert_int_equal(dl.errors, 0);
	diag_list_release(&dl); /* twice is fine */
	diag_list_release(NULL);
	strbuf_release(&sb);
}

static void test_diag_long_message_and_print(void **state)
{
	struct diag_list dl;
	struct strbuf want = STRBUF_INIT;
	char *buf = NULL;
	size_t size = 0;
	FILE *f;

	(void)state;
	diag_list_init(&dl, NULL);
	assert_string_equal(dl.file, "<input>");
	diag_error(&dl, 1, 1, "%0300d", 5);
	diag_warning(&dl, 0, 0, "zonder plaats");

	f = open_memstream(&buf, &size);
	assert_non_null(f);
	diag_list_print(&dl, f);
	fclose(f);

	strbuf_addf(&want,
		    "<input>:1:1: %0300d\n<input>: warning: zonder plaats\n",
		    5);
	assert_string_equal(buf, want.buf);
	free(buf);
	strbuf_release(&want);

	/* Empty list: nothing printed.  Re-initialising after release works. */
	diag_list_release(&dl);
	diag_list_init(&dl, "leeg.yaml");
	strbuf_addstr(&want, "");
	diag_list_format(&dl, &want);
	assert_string_equal(want.buf, "");
	diag_list_release(&dl);
	strbuf_release(&want);
}

static void test_read_file(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char path[] = "/tmp/test_strbuf.XXXXXX";
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "Dörst\n\0x", 9), 9);
	close(fd);
	strbuf_addstr(&sb, ">");
	assert_int_equal(strbuf_read_file(&sb, path), 0);
	assert_int_equal(sb.len, 10);
	assert_memory_equal(sb.buf, ">Dörst\n\0x", 10);
	unlink(path);
	/* A missing file: -1, errno set, the buffer as it was. */
	assert_int_equal(strbuf_read_file(&sb, path), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(sb.len, 10);
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_is_empty),
		cmocka_unit_test(test_appends),
		cmocka_unit_test(test_addf),
		cmocka_unit_test(test_detach_release_reset),
		cmocka_unit_test(test_rtrim),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_diag_format_and_order),
		cmocka_unit_test(test_diag_long_message_and_print),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
