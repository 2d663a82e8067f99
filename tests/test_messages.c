/*
 * test_messages.c - the message catalogues (messages/msg.h): the built-in
 * Dutch and English, a further language loaded from one file (the test
 * catalogue tests/messages/fy.msg), Dutch where it says nothing, values
 * put in, dates, and catalogue files with mistakes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "msg.h"
#include "msgfile.h"
#include "strbuf.h"
#include "banned.h"

#define MESSAGES TESTS_DIR "/messages"

static int ignore(const char *code, const char *name,
		  const struct msgfile_entry *e, void *data)
{
	(void)code;
	(void)name;
	(void)e;
	(void)data;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	msg_unload();
	return 0;
}

static void test_builtin(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	assert_int_equal(msg_nr_langs(), 2);
	assert_string_equal(survey_lang_code(SURVEY_NL), "nl");
	assert_string_equal(survey_lang_code(SURVEY_EN), "en");
	assert_string_equal(msg_get(SURVEY_NL, MSG_STAFF_LOG_OUT), "Uitloggen");
	assert_string_equal(msg_get(SURVEY_EN, MSG_STAFF_LOG_OUT), "Log out");
	/* Every built-in English text is there (msgc refuses otherwise). */
	for (int i = 0; i < MSG__COUNT; i++)
		assert_true(*msg_get(SURVEY_EN, (enum msg_id)i) != '\0');
	msg_date(&sb, SURVEY_NL, "2027-05-02", 1);
	assert_string_equal(sb.buf, "zondag 2 mei 2027");
	strbuf_reset(&sb);
	msg_date(&sb, SURVEY_EN, "2027-05-02", 0);
	assert_string_equal(sb.buf, "2 May 2027");
	strbuf_release(&sb);
}

/* "1 december 2026, 11:00": a moment the store keeps in UTC. */
static void moment(enum survey_lang l, const char *utc, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	msg_moment(&sb, l, utc);
	assert_string_equal(sb.buf, want);
	strbuf_release(&sb);
}

static void test_moments_in_dutch_time(void **state)
{
	(void)state;
	/* Winter: UTC+1; summer: UTC+2. */
	moment(SURVEY_NL, "2026-12-01T10:00:00Z", "1 december 2026, 11:00");
	moment(SURVEY_EN, "2026-12-01T10:00:00Z", "1 December 2026, 11:00");
	moment(SURVEY_NL, "2027-05-02T10:30:59Z", "2 mei 2027, 12:30");
	/* Late in the evening in UTC is the next day in Dorst. */
	moment(SURVEY_NL, "2027-06-30T22:15:00Z", "1 juli 2027, 00:15");
	moment(SURVEY_NL, "2026-12-31T23:30:00Z", "1 januari 2027, 00:30");
	/* The clocks go forward at 01:00 UTC on 28 March 2027 ... */
	moment(SURVEY_NL, "2027-03-28T00:59:00Z", "28 maart 2027, 01:59");
	moment(SURVEY_NL, "2027-03-28T01:00:00Z", "28 maart 2027, 03:00");
	/* ... and back at 01:00 UTC on 31 October 2027 (a Sunday itself). */
	moment(SURVEY_NL, "2027-10-31T00:59:00Z", "31 oktober 2027, 02:59");
	moment(SURVEY_NL, "2027-10-31T01:00:00Z", "31 oktober 2027, 02:00");
	/* What is not such a moment is said as it is. */
	moment(SURVEY_NL, "", "");
	moment(SURVEY_NL, "2027-13-01T10:00:00Z", "2027-13-01T10:00:00Z");
	moment(SURVEY_NL, "2027-05-02 10:00", "2027-05-02 10:00");
}

static void test_a_language_is_one_file(void **state)
{
	struct strbuf warn = STRBUF_INIT, err = STRBUF_INIT, sb = STRBUF_INIT;
	enum survey_lang fy;

	(void)state;
	assert_int_equal(survey_lang_parse("fy", &fy), -1);
	assert_int_equal(msg_load_dir(MESSAGES, &warn, &err), 0);
	assert_int_equal(warn.len, 0);
	assert_int_equal(survey_lang_parse("FY", &fy), 0);
	assert_int_equal(msg_nr_langs(), 3);
	assert_string_equal(msg_lang_name(fy), "Frysk");
	assert_string_equal(msg_get(fy, MSG_STAFF_LOG_OUT), "Ofmelde");
	/* What the file does not give is said in Dutch. */
	assert_string_equal(msg_get(fy, MSG_STAFF_BOARD_ONLY),
			    msg_get(SURVEY_NL, MSG_STAFF_BOARD_ONLY));
	msg_date(&sb, fy, "2027-05-02", 1);
	assert_string_equal(sb.buf, "snein 2 maaie 2027");
	/* The same language twice is refused. */
	assert_int_equal(msg_load_file(MESSAGES "/fy.msg", &warn, &err), -1);
	assert_non_null(strstr(err.buf, "there already"));
	strbuf_release(&warn);
	strbuf_release(&err);
	strbuf_release(&sb);
}

static void test_values_put_in(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	msg_add(&sb, SURVEY_NL, MSG_DATE_DAY, "2", "mei", "2027");
	assert_string_equal(sb.buf, "2 mei 2027");
	strbuf_release(&sb);
}

static void test_mistakes(void **state)
{
	struct strbuf warn = STRBUF_INIT, err = STRBUF_INIT;
	enum survey_lang zz;

	(void)state;
	/* Wrong placeholders and unknown keys are skipped, with a warning. */
	assert_int_equal(msg_load_dir(MESSAGES "/bad", &warn, &err), 0);
	assert_non_null(strstr(warn.buf, "wrong.msg:3: page.to_front"));
	assert_non_null(strstr(warn.buf, "page.no_such_message is no message"));
	assert_int_equal(survey_lang_parse("zz", &zz), 0);
	assert_string_equal(msg_get(zz, MSG_STAFF_LOG_OUT), "Weg");
	assert_string_equal(msg_get(zz, MSG_PAGE_TO_FRONT),
			    msg_get(SURVEY_NL, MSG_PAGE_TO_FRONT));
	/* A file that does not read names its line. */
	strbuf_reset(&err);
	assert_int_equal(msgfile_read("x.msg", "@language xx X\nfoo\n", 18,
				      ignore, NULL, &err),
			 -1);
	assert_string_equal(err.buf, "x.msg:2: expected 'key = text'");
	strbuf_reset(&err);
	assert_int_equal(
		msgfile_read("y.msg", "a = b\n", 6, ignore, NULL, &err), -1);
	assert_non_null(strstr(err.buf, "y.msg:1: the first line must be"));
	strbuf_release(&warn);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_builtin, teardown),
		cmocka_unit_test_teardown(test_a_language_is_one_file,
					  teardown),
		cmocka_unit_test_teardown(test_values_put_in, teardown),
		cmocka_unit_test_teardown(test_moments_in_dutch_time, teardown),
		cmocka_unit_test_teardown(test_mistakes, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
