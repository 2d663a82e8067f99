/*
 * yamledit.c - changing a definition's YAML text node by node (see
 * yamledit.h).
 *
 * libfyaml tells where every scalar is (its tokens' byte offsets); the
 * place of a mapping or a sequence is that of its first and last scalar.
 * Every change is a splice of the text, after which the text is parsed
 * again: definitions are a few kilobytes, and a fresh parse is what makes
 * the next change's offsets right.
 */
#include "yamledit.h"

#include <ctype.h>
#include <libfyaml.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xalloc.h"
#include "banned.h"

struct yamledit {
	struct strbuf text;
	struct fy_document *doc;
};

/* A byte range of the text; ok is false when nothing was found. */
struct span {
	bool ok;
	size_t start, end;
};

static struct fy_document *parse(const char *buf, size_t len)
{
	struct fy_parse_cfg cfg = { 0 };

	cfg.flags = FYPCF_QUIET | FYPCF_DISABLE_MMAP_OPT;
	return fy_document_build_from_string(&cfg, buf, len);
}

struct yamledit *yamledit_new(const char *text, size_t len, struct strbuf *err)
{
	struct yamledit *ye = xcalloc(1, sizeof(*ye));

	strbuf_init(&ye->text, len + 1);
	strbuf_add(&ye->text, text, len);
	ye->doc = parse(ye->text.buf, ye->text.len);
	if (!ye->doc || !fy_document_root(ye->doc) ||
	    !fy_node_is_mapping(fy_document_root(ye->doc))) {
		strbuf_addstr(err, "the definition is not a readable YAML "
				   "mapping");
		yamledit_free(ye);
		return NULL;
	}
	return ye;
}

void yamledit_free(struct yamledit *ye)
{
	if (!ye)
		return;
	fy_document_destroy(ye->doc);
	strbuf_release(&ye->text);
	free(ye);
}

const char *yamledit_text(const struct yamledit *ye, size_t *len)
{
	if (len)
		*len = ye->text.len;
	return ye->text.buf;
}

/* Take nt (consumed) as the new text if it parses; -1 with err if not. */
static int commit(struct yamledit *ye, struct strbuf *nt, struct strbuf *err)
{
	struct fy_document *doc = parse(nt->buf, nt->len);

	if (!doc || !fy_document_root(doc) ||
	    !fy_node_is_mapping(fy_document_root(doc))) {
		fy_document_destroy(doc);
		strbuf_release(nt);
		strbuf_addstr(err, "the change would not leave readable YAML");
		return -1;
	}
	fy_document_destroy(ye->doc);
	strbuf_release(&ye->text);
	ye->text = *nt;
	ye->doc = doc;
	return 0;
}

static int splice(struct yamledit *ye, size_t at, size_t del, const char *ins,
		  size_t inslen, struct strbuf *err)
{
	struct strbuf nt = STRBUF_INIT;

	strbuf_add(&nt, ye->text.buf, at);
	strbuf_add(&nt, ins, inslen);
	strbuf_add(&nt, ye->text.buf + at + del, ye->text.len - at - del);
	return commit(ye, &nt, err);
}

static struct fy_node *node_at(struct yamledit *ye, const char *path)
{
	struct fy_node *root = fy_document_root(ye->doc);

	if (!root || !*path || !strcmp(path, "/"))
		return root;
	return fy_node_by_path(root, path, FY_NT, FYNWF_DONT_FOLLOW);
}

bool yamledit_exists(struct yamledit *ye, const char *path)
{
	return node_at(ye, path) != NULL;
}

const char *yamledit_get(struct yamledit *ye, const char *path)
{
	struct fy_node *n = node_at(ye, path);

	return n && fy_node_is_scalar(n) ? fy_node_get_scalar0(n) : NULL;
}

size_t yamledit_count(struct yamledit *ye, const char *path)
{
	struct fy_node *n = node_at(ye, path);

	return n && fy_node_is_sequence(n)
		       ? (size_t)fy_node_sequence_item_count(n)
		       : 0;
}

bool yamledit_is_mapping(struct yamledit *ye, const char *path)
{
	struct fy_node *n = node_at(ye, path);

	return n && fy_node_is_mapping(n);
}

/* ---- where things are ------------------------------------------------- */

static void span_merge(struct span *sp, size_t a, size_t b)
{
	if (!sp->ok || a < sp->start)
		sp->start = a;
	if (!sp->ok || b > sp->end)
		sp->end = b;
	sp->ok = true;
}

static struct span span_of(struct yamledit *ye, struct fy_node *n);

static void span_add(struct yamledit *ye, struct span *sp, struct fy_node *n)
{
	struct span c;

	if (!n)
		return;
	c = span_of(ye, n);
	if (c.ok)
		span_merge(sp, c.start, c.end);
}

static struct span span_of(struct yamledit *ye, struct fy_node *n)
{
	const char *t = ye->text.buf;
	struct span sp = { 0 };
	void *it = NULL;

	switch (fy_node_get_type(n)) {
	case FYNT_SCALAR: {
		struct fy_token *tok = fy_node_get_scalar_token(n);
		enum fy_node_style st = fy_node_get_style(n);
		size_t a, b;

		if (!tok)
			return sp;
		a = fy_token_start_mark(tok)->input_pos;
		b = fy_token_end_mark(tok)->input_pos;
		if (st == FYNS_SINGLE_QUOTED || st == FYNS_DOUBLE_QUOTED) {
			/* The marks leave the quotes out. */
			if (a > 0)
				a--;
			if (b < ye->text.len)
				b++;
		} else if (st == FYNS_LITERAL || st == FYNS_FOLDED) {
			/* The marks start at the content, after "|". */
			while (a > 0 && t[a - 1] != '|' && t[a - 1] != '>')
				a--;
			if (a > 0)
				a--;
			/* They end after the next line's indentation. */
			while (b > a && t[b - 1] == ' ')
				b--;
		}
		span_merge(&sp, a, b);
		return sp;
	}
	case FYNT_SEQUENCE: {
		struct fy_node *c;

		while ((c = fy_node_sequence_iterate(n, &it)))
			span_add(ye, &sp, c);
		break;
	}
	case FYNT_MAPPING: {
		struct fy_node_pair *pr;

		while ((pr = fy_node_mapping_iterate(n, &it))) {
			span_add(ye, &sp, fy_node_pair_key(pr));
			span_add(ye, &sp, fy_node_pair_value(pr));
		}
		break;
	}
	}
	if (sp.ok && fy_node_get_style(n) == FYNS_FLOW) {
		/* Take in the brackets around the items. */
		size_t a = sp.start, b = sp.end;

		while (a > 0 && t[a - 1] != '[' && t[a - 1] != '{')
			a--;
		while (b < ye->text.len && t[b] != ']' && t[b] != '}')
			b++;
		if (a > 0 && b < ye->text.len) {
			sp.start = a - 1;
			sp.end = b + 1;
		}
	}
	return sp;
}

static size_t line_start(const char *t, size_t pos)
{
	while (pos > 0 && t[pos - 1] != '\n')
		pos--;
	return pos;
}

/* After the newline that ends the line of pos (pos itself at a line start). */
static size_t line_end(const struct strbuf *text, size_t pos)
{
	if (pos > 0 && text->buf[pos - 1] == '\n')
		return pos;
	while (pos < text->len && text->buf[pos] != '\n')
		pos++;
	return pos < text->len ? pos + 1 : pos;
}

static int line_of(const char *t, size_t pos)
{
	int line = 1;

	for (size_t i = 0; i < pos; i++)
		line += t[i] == '\n';
	return line;
}

/* Split "/a/b/c" into the parent "/a/b" (in parent) and "c". */
static const char *split(const char *path, struct strbuf *parent)
{
	const char *slash = strrchr(path, '/');

	strbuf_reset(parent);
	if (!slash)
		return path;
	strbuf_add(parent, path, (size_t)(slash - path));
	return slash + 1;
}

static struct fy_node_pair *pair_of(struct yamledit *ye, const char *path)
{
	struct strbuf parent = STRBUF_INIT;
	const char *key = split(path, &parent);
	struct fy_node *map = node_at(ye, parent.buf ? parent.buf : "");
	struct fy_node_pair *pr = NULL;

	if (map && fy_node_is_mapping(map))
		pr = fy_node_mapping_lookup_pair_by_string(map, key, -1);
	strbuf_release(&parent);
	return pr;
}

int yamledit_lines(struct yamledit *ye, const char *path, int *first, int *last)
{
	struct fy_node *n = node_at(ye, path);
	struct fy_node_pair *pr = pair_of(ye, path);
	struct span sp = { 0 };
	size_t end;

	if (!n)
		return -1;
	span_add(ye, &sp, n);
	if (pr)
		span_add(ye, &sp, fy_node_pair_key(pr));
	if (!sp.ok)
		return -1;
	end = sp.end;
	while (end > sp.start && isspace((unsigned char)ye->text.buf[end - 1]))
		end--;
	*first = line_of(ye->text.buf, sp.start);
	*last = line_of(ye->text.buf, end > sp.start ? end - 1 : sp.start);
	return 0;
}

/* The column of the start of the text at pos. */
static size_t column_of(const char *t, size_t pos)
{
	return pos - line_start(t, pos);
}

/* ---- writing scalars -------------------------------------------------- */

static bool plain_ok(const char *v)
{
	static const char *const words[] = { "true", "false", "null", "yes",
					     "no",   "on",    "off",  "y",
					     "n",    "~" };
	size_t n = strlen(v);
	unsigned char c = (unsigned char)v[0];

	if (!n || isspace(c) || isspace((unsigned char)v[n - 1]))
		return false;
	if (!isalnum(c) && c < 0x80)
		return false;
	if (strpbrk(v, "\n\r\t,[]{}#\"'\\") || strstr(v, ": ") ||
	    v[n - 1] == ':')
		return false;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcasecmp(v, words[i]))
			return false;
	return true;
}

static void emit_quoted(struct strbuf *out, const char *v)
{
	strbuf_addch(out, '"');
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		switch (*p) {
		case '"': strbuf_addstr(out, "\\\""); break;
		case '\\': strbuf_addstr(out, "\\\\"); break;
		case '\n': strbuf_addstr(out, "\\n"); break;
		case '\t': strbuf_addstr(out, "\\t"); break;
		default:
			if (*p < 0x20)
				strbuf_addf(out, "\\x%02x", *p);
			else
				strbuf_addch(out, *p);
		}
	}
	strbuf_addch(out, '"');
}

static void emit_scalar(struct strbuf *out, const char *v)
{
	if (plain_ok(v))
		strbuf_addstr(out, v);
	else
		emit_quoted(out, v);
}

/*
 * A literal block ("|") at indent, ending in a newline: for texts that
 * were written as one, so that the file keeps reading as prose.  False
 * when v cannot be written so (it would start with a space).
 */
static bool emit_literal(struct strbuf *out, const char *v, size_t indent)
{
	size_t n = strlen(v), trailing = 0;
	const char *p = v;

	if (!n || v[0] == ' ' || v[0] == '\n' || strchr(v, '\t'))
		return false;
	while (trailing < n && v[n - 1 - trailing] == '\n')
		trailing++;
	strbuf_addstr(out, trailing == 0   ? "|-\n"
			   : trailing == 1 ? "|\n"
					   : "|+\n");
	while (p < v + n - trailing) {
		const char *nl =
			memchr(p, '\n', (size_t)(v + n - trailing - p));
		size_t len = nl ? (size_t)(nl - p) : strlen(p) - trailing;

		if (len) {
			for (size_t i = 0; i < indent; i++)
				strbuf_addch(out, ' ');
			strbuf_add(out, p, len);
		}
		strbuf_addch(out, '\n');
		p += len + 1;
	}
	for (size_t i = 1; i < trailing; i++)
		strbuf_addch(out, '\n');
	return true;
}

static size_t trailing_newlines(const char *t, size_t a, size_t b)
{
	size_t k = 0;

	while (b > a && isspace((unsigned char)t[b - 1])) {
		k += t[b - 1] == '\n';
		b--;
	}
	return k;
}

/* Replace the scalar n (at path) by value. */
static int replace_scalar(struct yamledit *ye, const char *path,
			  struct fy_node *n, const char *value,
			  struct strbuf *err)
{
	struct span sp = span_of(ye, n);
	enum fy_node_style st = fy_node_get_style(n);
	struct strbuf v = STRBUF_INIT;
	int ret;

	if (!sp.ok) {
		strbuf_addf(err, "%s has no place in the text", path);
		return -1;
	}
	if (st == FYNS_LITERAL || st == FYNS_FOLDED) {
		struct fy_node_pair *pr = pair_of(ye, path);
		size_t k = trailing_newlines(ye->text.buf, sp.start, sp.end);
		size_t indent = 2;

		if (pr) {
			struct span ks = span_of(ye, fy_node_pair_key(pr));

			indent += ks.ok ? column_of(ye->text.buf, ks.start) : 0;
		}
		if (!strchr(value, '\n') || !emit_literal(&v, value, indent)) {
			strbuf_reset(&v);
			emit_quoted(&v, value);
		}
		/* Keep the blank lines that followed the block. */
		for (size_t m = trailing_newlines(v.buf, 0, v.len); m < k; m++)
			strbuf_addch(&v, '\n');
	} else {
		emit_scalar(&v, value);
	}
	ret = splice(ye, sp.start, sp.end - sp.start, v.buf, v.len, err);
	strbuf_release(&v);
	return ret;
}

/* ---- adding and removing keys ----------------------------------------- */

/*
 * Add the keys of path missing below its deepest existing mapping, the
 * last one with value.
 */
static int add_key(struct yamledit *ye, const char *path, const char *value,
		   struct strbuf *err)
{
	struct strbuf anc = STRBUF_INIT, ins = STRBUF_INIT;
	struct fy_node *a = NULL, *last = NULL;
	const char *rest;
	struct span sp;
	void *it = NULL;
	struct fy_node_pair *pr;
	int ret = -1;

	strbuf_addstr(&anc, path);
	for (;;) {
		char *slash = strrchr(anc.buf, '/');

		if (!slash) {
			strbuf_addf(err, "%s: no place for it", path);
			goto out;
		}
		strbuf_setlen(&anc, (size_t)(slash - anc.buf));
		a = node_at(ye, anc.buf);
		if (a)
			break;
	}
	rest = path + anc.len + 1; /* "k1/k2/key" below a */
	if (!fy_node_is_mapping(a) || fy_node_mapping_item_count(a) == 0) {
		strbuf_addf(err, "%s: %s is not a mapping with keys", path,
			    anc.len ? anc.buf : "the definition");
		goto out;
	}
	while ((pr = fy_node_mapping_iterate(a, &it)))
		last = fy_node_pair_value(pr) ? fy_node_pair_value(pr)
					      : fy_node_pair_key(pr);
	if (fy_node_get_style(a) == FYNS_FLOW) {
		size_t depth = 0;

		sp = span_of(ye, last);
		strbuf_addstr(&ins, ", ");
		for (const char *p = rest;;) {
			const char *slash = strchr(p, '/');

			if (!slash) {
				strbuf_addstr(&ins, p);
				strbuf_addstr(&ins, ": ");
				emit_scalar(&ins, value);
				break;
			}
			strbuf_add(&ins, p, (size_t)(slash - p));
			strbuf_addstr(&ins, ": { ");
			depth++;
			p = slash + 1;
		}
		for (size_t i = 0; i < depth; i++)
			strbuf_addstr(&ins, " }");
		ret = splice(ye, sp.end, 0, ins.buf, ins.len, err);
	} else {
		struct fy_node *first = fy_node_pair_key(
			fy_node_mapping_iterate(a, &(void *){ NULL }));
		struct span ks = span_of(ye, first);
		size_t indent, at;

		sp = span_of(ye, a);
		if (!ks.ok || !sp.ok) {
			strbuf_addf(err, "%s: no place for it", path);
			goto out;
		}
		indent = column_of(ye->text.buf, ks.start);
		at = line_end(&ye->text, sp.end);
		if (at == ye->text.len && at > 0 &&
		    ye->text.buf[at - 1] != '\n')
			strbuf_addch(&ins, '\n');
		for (const char *p = rest;;) {
			const char *slash = strchr(p, '/');

			for (size_t i = 0; i < indent; i++)
				strbuf_addch(&ins, ' ');
			if (!slash) {
				strbuf_addstr(&ins, p);
				strbuf_addstr(&ins, ": ");
				emit_scalar(&ins, value);
				strbuf_addch(&ins, '\n');
				break;
			}
			strbuf_add(&ins, p, (size_t)(slash - p));
			strbuf_addstr(&ins, ":\n");
			indent += 2;
			p = slash + 1;
		}
		ret = splice(ye, at, 0, ins.buf, ins.len, err);
	}
out:
	strbuf_release(&anc);
	strbuf_release(&ins);
	return ret;
}

static int remove_key(struct yamledit *ye, const char *path, struct strbuf *err)
{
	struct strbuf parent = STRBUF_INIT;
	const char *key = split(path, &parent);
	const char *pp = parent.buf ? parent.buf : "";
	struct fy_node *map = node_at(ye, pp);
	struct fy_node_pair *pr, *prev = NULL, *next = NULL, *q;
	struct span ks, vs = { 0 };
	void *it = NULL;
	size_t a, b;
	int ret = -1;

	if (!map || !fy_node_is_mapping(map)) {
		ret = 0; /* nothing there to remove */
		goto out;
	}
	pr = fy_node_mapping_lookup_pair_by_string(map, key, -1);
	if (!pr) {
		ret = 0;
		goto out;
	}
	while ((q = fy_node_mapping_iterate(map, &it))) {
		if (q == pr) {
			next = fy_node_mapping_iterate(map, &it);
			break;
		}
		prev = q;
	}
	ks = span_of(ye, fy_node_pair_key(pr));
	if (fy_node_pair_value(pr))
		vs = span_of(ye, fy_node_pair_value(pr));
	if (!ks.ok)
		goto noplace;
	b = vs.ok ? vs.end : ks.end;
	if (fy_node_get_style(map) == FYNS_FLOW) {
		if (prev) {
			struct span ps =
				span_of(ye, fy_node_pair_value(prev)
						    ? fy_node_pair_value(prev)
						    : fy_node_pair_key(prev));

			if (!ps.ok)
				goto noplace;
			a = ps.end;
		} else {
			a = ks.start;
			if (next) {
				struct span ns =
					span_of(ye, fy_node_pair_key(next));

				if (!ns.ok)
					goto noplace;
				b = ns.start;
			}
		}
	} else {
		a = line_start(ye->text.buf, ks.start);
		for (size_t i = a; i < ks.start; i++)
			if (ye->text.buf[i] != ' ') {
				strbuf_addf(err,
					    "%s: the first key of an item "
					    "cannot be removed",
					    path);
				goto out;
			}
		b = line_end(&ye->text, b);
	}
	if (splice(ye, a, b - a, "", 0, err) < 0)
		goto out;
	/* A mapping left without keys goes too. */
	map = node_at(ye, pp);
	if (*pp && (!map || (fy_node_is_mapping(map) &&
			     fy_node_mapping_item_count(map) == 0)))
		ret = remove_key(ye, pp, err);
	else
		ret = 0;
	goto out;
noplace:
	strbuf_addf(err, "%s has no place in the text", path);
out:
	strbuf_release(&parent);
	return ret;
}

int yamledit_set(struct yamledit *ye, const char *path, const char *value,
		 struct strbuf *err)
{
	struct fy_node *n;
	struct fy_node_pair *pr;

	if (!value)
		return remove_key(ye, path, err);
	n = node_at(ye, path);
	if (n) {
		const char *old;

		if (!fy_node_is_scalar(n)) {
			strbuf_addf(err, "%s is not a single value", path);
			return -1;
		}
		old = fy_node_get_scalar0(n);
		if (old && !strcmp(old, value))
			return 0;
		return replace_scalar(ye, path, n, value, err);
	}
	pr = pair_of(ye, path);
	if (pr) {
		/* "key:" with nothing after it. */
		struct span ks = span_of(ye, fy_node_pair_key(pr));
		struct strbuf v = STRBUF_INIT;
		size_t at;
		int ret;

		if (!ks.ok) {
			strbuf_addf(err, "%s has no place in the text", path);
			return -1;
		}
		at = ks.end;
		while (at < ye->text.len && ye->text.buf[at] != ':')
			at++;
		if (at < ye->text.len)
			at++;
		strbuf_addch(&v, ' ');
		emit_scalar(&v, value);
		ret = splice(ye, at, 0, v.buf, v.len, err);
		strbuf_release(&v);
		return ret;
	}
	return add_key(ye, path, value, err);
}

int yamledit_set_text(struct yamledit *ye, const char *path, const char *nl,
		      const char *en, struct strbuf *err)
{
	struct strbuf sub = STRBUF_INIT;
	struct fy_node *n;
	int ret = -1;

	if (!nl)
		return remove_key(ye, path, err);
	n = node_at(ye, path);
	if (en && !*en)
		en = NULL;
	if (n && fy_node_is_mapping(n)) {
		strbuf_addf(&sub, "%s/nl", path);
		if (yamledit_set(ye, sub.buf, nl, err) < 0)
			goto out;
		strbuf_reset(&sub);
		strbuf_addf(&sub, "%s/en", path);
		ret = yamledit_set(ye, sub.buf, en, err);
	} else if (!en) {
		ret = yamledit_set(ye, path, nl, err);
	} else if (n) {
		struct span sp = span_of(ye, n);

		if (!sp.ok || !fy_node_is_scalar(n)) {
			strbuf_addf(err, "%s has no place in the text", path);
			goto out;
		}
		strbuf_addstr(&sub, "{ nl: ");
		emit_scalar(&sub, nl);
		strbuf_addstr(&sub, ", en: ");
		emit_scalar(&sub, en);
		strbuf_addstr(&sub, " }");
		if (fy_node_get_style(n) == FYNS_LITERAL ||
		    fy_node_get_style(n) == FYNS_FOLDED) {
			/* Keep the line break (and blank lines) the block had. */
			size_t k = trailing_newlines(ye->text.buf, sp.start,
						     sp.end);

			for (size_t i = 0; i < k; i++)
				strbuf_addch(&sub, '\n');
		}
		ret = splice(ye, sp.start, sp.end - sp.start, sub.buf, sub.len,
			     err);
	} else {
		strbuf_addf(&sub, "%s/nl", path);
		if (yamledit_set(ye, sub.buf, nl, err) < 0)
			goto out;
		strbuf_reset(&sub);
		strbuf_addf(&sub, "%s/en", path);
		ret = yamledit_set(ye, sub.buf, en, err);
	}
out:
	strbuf_release(&sub);
	return ret;
}

int yamledit_replace_flow(struct yamledit *ye, const char *path,
			  const char *flow, struct strbuf *err)
{
	struct fy_node *n = node_at(ye, path);
	struct span sp;

	if (!n)
		return add_key(ye, path, flow, err);
	sp = span_of(ye, n);
	if (!sp.ok) {
		strbuf_addf(err, "%s has no place in the text", path);
		return -1;
	}
	if (sp.end - sp.start == strlen(flow) &&
	    !memcmp(ye->text.buf + sp.start, flow, sp.end - sp.start))
		return 0;
	return splice(ye, sp.start, sp.end - sp.start, flow, strlen(flow), err);
}

/* ---- sequences -------------------------------------------------------- */

/* The lines of item i of the block sequence at path, dash included. */
static int item_lines(struct yamledit *ye, const char *path, size_t i,
		      struct span *out, size_t *dash_col, struct strbuf *err)
{
	struct fy_node *seq = node_at(ye, path);
	struct fy_node *item;
	struct span sp;
	size_t d;

	if (!seq || !fy_node_is_sequence(seq) ||
	    fy_node_get_style(seq) == FYNS_FLOW) {
		strbuf_addf(err, "%s is not a list of items", path);
		return -1;
	}
	item = fy_node_sequence_get_by_index(seq, (int)i);
	if (!item) {
		strbuf_addf(err, "%s has no item %zu", path, i);
		return -1;
	}
	sp = span_of(ye, item);
	if (!sp.ok) {
		strbuf_addf(err, "%s/%zu has no place in the text", path, i);
		return -1;
	}
	d = sp.start;
	while (d > 0 && ye->text.buf[d - 1] == ' ')
		d--;
	if (d == 0 || ye->text.buf[d - 1] != '-') {
		strbuf_addf(err, "%s/%zu is not written as '- ...'", path, i);
		return -1;
	}
	d--;
	for (size_t k = line_start(ye->text.buf, d); k < d; k++)
		if (ye->text.buf[k] != ' ') {
			strbuf_addf(err, "%s/%zu does not start its line", path,
				    i);
			return -1;
		}
	out->ok = true;
	out->start = line_start(ye->text.buf, d);
	out->end = line_end(&ye->text, sp.end);
	if (dash_col)
		*dash_col = d - out->start;
	return 0;
}

int yamledit_append(struct yamledit *ye, const char *path, const char *item,
		    struct strbuf *err)
{
	size_t n = yamledit_count(ye, path), col;
	struct strbuf ins = STRBUF_INIT;
	struct span first, last;
	const char *p = item;
	int ret = -1;

	if (!n) {
		strbuf_addf(err, "%s is not a list of items", path);
		return -1;
	}
	if (item_lines(ye, path, 0, &first, &col, err) < 0 ||
	    item_lines(ye, path, n - 1, &last, NULL, err) < 0)
		goto out;
	if (last.end == ye->text.len && last.end > 0 &&
	    ye->text.buf[last.end - 1] != '\n')
		strbuf_addch(&ins, '\n');
	for (bool head = true; *p; head = false) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (len) {
			for (size_t i = 0; i < col; i++)
				strbuf_addch(&ins, ' ');
			strbuf_addstr(&ins, head ? "- " : "  ");
			strbuf_add(&ins, p, len);
		}
		strbuf_addch(&ins, '\n');
		p += len + (nl ? 1 : 0);
	}
	ret = splice(ye, last.end, 0, ins.buf, ins.len, err);
out:
	strbuf_release(&ins);
	return ret;
}

int yamledit_remove(struct yamledit *ye, const char *path, size_t i,
		    struct strbuf *err)
{
	struct span sp;

	if (item_lines(ye, path, i, &sp, NULL, err) < 0)
		return -1;
	return splice(ye, sp.start, sp.end - sp.start, "", 0, err);
}

int yamledit_swap(struct yamledit *ye, const char *path, size_t i,
		  struct strbuf *err)
{
	struct strbuf nt = STRBUF_INIT;
	struct span a, b;
	const char *t = ye->text.buf;
	bool add_nl;

	if (item_lines(ye, path, i, &a, NULL, err) < 0 ||
	    item_lines(ye, path, i + 1, &b, NULL, err) < 0)
		return -1;
	/* The last item may end the file without a newline. */
	add_nl = b.end == ye->text.len && t[b.end - 1] != '\n';
	strbuf_add(&nt, t, a.start);
	strbuf_add(&nt, t + b.start, b.end - b.start);
	if (add_nl)
		strbuf_addch(&nt, '\n');
	strbuf_add(&nt, t + a.end, b.start - a.end);
	strbuf_add(&nt, t + a.start, a.end - a.start - (add_nl ? 1 : 0));
	strbuf_add(&nt, t + b.end, ye->text.len - b.end);
	return commit(ye, &nt, err);
}
