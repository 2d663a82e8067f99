/*
 * test_yamledit.c - editing a definition's YAML node by node: a change
 * touches only its node's bytes, keys and items are added, removed and
 * moved with the file's own indentation, and the result is still the
 * survey the validator expects.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "strbuf.h"
#include "survey.h"
#include "yamledit.h"
#include "banned.h"

static struct strbuf sample;

static int setup(void **state)
{
	(void)state;
	return strbuf_read_file(&sample,
				SAMPLES_DIR "/dorst-speelveld/survey.yaml") < 0
		       ? -1
		       : 0;
}

static int teardown(void **state)
{
	(void)state;
	strbuf_release(&sample);
	return 0;
}

static struct yamledit *open_sample(void)
{
	struct strbuf err = STRBUF_INIT;
	struct yamledit *ye = yamledit_new(sample.buf, sample.len, &err);

	assert_non_null(ye);
	strbuf_release(&err);
	return ye;
}

/* The text still loads as a survey. */
static struct survey *load(struct yamledit *ye)
{
	struct diag_list dl;
	struct strbuf sb = STRBUF_INIT;
	size_t len;
	const char *t = yamledit_text(ye, &len);
	struct survey *s;

	diag_list_init(&dl, "edited");
	s = survey_load_buffer("edited", t, len, &dl);
	if (!s) {
		diag_list_format(&dl, &sb);
		fprintf(stderr, "%s\n---\n%s\n", sb.buf, t);
	}
	assert_non_null(s);
	diag_list_release(&dl);
	strbuf_release(&sb);
	return s;
}

/*
 * The text differs from the sample only between the same prefix and
 * suffix, and the middle part is what was and what is there now.
 */
static void assert_only_changed(struct yamledit *ye, const char *was,
				const char *now)
{
	size_t len;
	const char *t = yamledit_text(ye, &len);
	size_t p = 0, s = 0;

	while (p < len && p < sample.len && t[p] == sample.buf[p])
		p++;
	while (s < len - p && s < sample.len - p &&
	       t[len - 1 - s] == sample.buf[sample.len - 1 - s])
		s++;
	assert_int_equal(sample.len - p - s, strlen(was));
	assert_memory_equal(sample.buf + p, was, strlen(was));
	assert_int_equal(len - p - s, strlen(now));
	assert_memory_equal(t + p, now, strlen(now));
}

static void test_unchanged(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct yamledit *ye = open_sample();
	size_t len;

	(void)state;
	/* Setting what is there changes nothing, not even quoting. */
	assert_int_equal(
		yamledit_set(ye, "/survey", "dorst-speelveld-2027", &err), 0);
	assert_int_equal(
		yamledit_set_text(ye, "/title",
				  "Een nieuw speelveld aan de "
				  "Schoolstraat",
				  "A new playing field on Schoolstraat", &err),
		0);
	assert_string_equal(yamledit_text(ye, &len), sample.buf);
	assert_int_equal(len, sample.len);
	yamledit_free(ye);
	strbuf_release(&err);
}

static void test_one_scalar(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct yamledit *ye = open_sample();
	struct survey *s;

	(void)state;
	assert_string_equal(yamledit_get(ye, "/buurten/0/households"), "142");
	assert_int_equal(yamledit_set(ye, "/buurten/0/households", "145", &err),
			 0);
	assert_only_changed(ye, "2", "5");
	s = load(ye);
	assert_int_equal(s->buurten[0].households, 145);
	survey_free(s);
	/* A value that needs quotes gets them. */
	assert_int_equal(
		yamledit_set(ye, "/organisation", "Dorpsplatform: Dorst", &err),
		0);
	assert_string_equal(yamledit_get(ye, "/organisation"),
			    "Dorpsplatform: Dorst");
	yamledit_free(ye);
	strbuf_release(&err);
}

static void test_keys(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct yamledit *ye = open_sample();
	struct survey *s;

	(void)state;
	/* A key the question lacks, at its indentation. */
	assert_int_equal(
		yamledit_set(ye, "/questions/0/required", "true", &err), 0);
	s = load(ye);
	assert_true(s->questions[0].required);
	survey_free(s);
	assert_int_equal(yamledit_set(ye, "/questions/0/required", NULL, &err),
			 0);
	{
		size_t len;

		assert_string_equal(yamledit_text(ye, &len), sample.buf);
	}
	/* English added to a flow label, and taken away again. */
	assert_int_equal(yamledit_set_text(ye, "/questions/2/options/0/label",
					   "Elke week", NULL, &err),
			 0);
	assert_false(yamledit_exists(ye, "/questions/2/options/0/label/en"));
	assert_string_equal(yamledit_get(ye, "/questions/2/options/0/label/nl"),
			    "Elke week");
	s = load(ye);
	survey_free(s);
	/* A mapping made on the way: a buurt's own agreement. */
	assert_int_equal(yamledit_set(ye, "/buurten/1/agreement/min_response",
				      "40%", &err),
			 0);
	assert_string_equal(
		yamledit_get(ye, "/buurten/1/agreement/min_response"), "40%");
	s = load(ye);
	survey_free(s);
	yamledit_free(ye);
	strbuf_release(&err);
}

static void test_items(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct yamledit *ye = open_sample();
	size_t n = yamledit_count(ye, "/questions");
	struct survey *s;

	(void)state;
	assert_true(n > 3);
	assert_int_equal(yamledit_append(ye, "/questions",
					 "id: nieuw\ntype: yesno\n"
					 "text: Een nieuwe vraag?\n",
					 &err),
			 0);
	assert_int_equal(yamledit_count(ye, "/questions"), n + 1);
	s = load(ye);
	assert_string_equal(s->questions[n].id, "nieuw");
	survey_free(s);
	assert_int_equal(yamledit_swap(ye, "/questions", n - 1, &err), 0);
	assert_string_equal(yamledit_get(ye, "/questions/0/id"), "speelveld");
	s = load(ye);
	assert_string_equal(s->questions[n - 1].id, "nieuw");
	survey_free(s);
	assert_int_equal(yamledit_remove(ye, "/questions", n - 1, &err), 0);
	assert_int_equal(yamledit_count(ye, "/questions"), n);
	s = load(ye);
	survey_free(s);
	yamledit_free(ye);
	strbuf_release(&err);
}

static void test_block_text(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct yamledit *ye = open_sample();
	const char *nl = yamledit_get(ye, "/intro/nl");
	struct strbuf v = STRBUF_INIT;
	struct survey *s;

	(void)state;
	assert_non_null(nl);
	strbuf_addstr(&v, nl);
	strbuf_addstr(&v, "PS: tot ziens!\n");
	assert_int_equal(yamledit_set(ye, "/intro/nl", v.buf, &err), 0);
	{
		/* The line is added at the end of the block, nothing else. */
		const char *end =
			"    Het bestuur van het Dorpsplatform Dorst\n";
		const char *at = strstr(sample.buf, end);
		struct strbuf want = STRBUF_INIT;

		assert_non_null(at);
		at += strlen(end);
		strbuf_add(&want, sample.buf, (size_t)(at - sample.buf));
		strbuf_addstr(&want, "    PS: tot ziens!\n");
		strbuf_addstr(&want, at);
		assert_string_equal(yamledit_text(ye, NULL), want.buf);
		strbuf_release(&want);
	}
	s = load(ye);
	assert_string_equal(s->intro.text[SURVEY_NL], v.buf);
	survey_free(s);
	strbuf_release(&v);
	yamledit_free(ye);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unchanged),
		cmocka_unit_test(test_one_scalar),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_items),
		cmocka_unit_test(test_block_text),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
