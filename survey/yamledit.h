/*
 * yamledit.h - changing a survey definition's YAML text in place, node by
 * node, so that the board's browser editor and the file a technician
 * versions are the same survey.
 *
 * The text is parsed with libfyaml only to find where each node is; a
 * change replaces exactly the bytes of that node (or inserts or removes
 * the lines of one mapping key or sequence item), so that every comment,
 * blank line, key order and quoting style the board or a technician wrote
 * survives, and a change to one field changes only that field's node.
 * Paths are libfyaml's: "/title/nl", "/buurten/0/households".
 *
 * Whether the result is a valid survey is survey_load_buffer()'s to say;
 * yamledit only keeps it well-formed YAML (an edit that would not parse
 * again is undone and refused).
 *
 * Ownership: a struct yamledit owns its text and its parsed document;
 * strings it returns stay valid until the next change or yamledit_free().
 */
#ifndef DRAAGVLAK_YAMLEDIT_H
#define DRAAGVLAK_YAMLEDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

struct yamledit;

/*
 * Parse text (len bytes, copied).  Returns the editor, or NULL with a
 * sentence in err when it is not one YAML document.
 */
struct yamledit *yamledit_new(const char *text, size_t len, struct strbuf *err);
void yamledit_free(struct yamledit *ye);

/* The text as it now is (NUL-terminated); *len gets its length. */
const char *yamledit_text(const struct yamledit *ye, size_t *len);

/* Whether path names a node. */
bool yamledit_exists(struct yamledit *ye, const char *path);
/* The scalar at path, or NULL when there is none (or it is no scalar). */
const char *yamledit_get(struct yamledit *ye, const char *path);
/* The number of items of the sequence at path (0: none, or no sequence). */
size_t yamledit_count(struct yamledit *ye, const char *path);
/* Whether the node at path is a mapping. */
bool yamledit_is_mapping(struct yamledit *ye, const char *path);

/*
 * Make the scalar at path say value: its bytes are replaced when it
 * exists (nothing happens when it already says value), and the key is
 * added to the mapping that should hold it otherwise (with any missing
 * mappings on the way).  value NULL removes the key; a mapping left empty
 * by that is removed too.  Returns 0, or -1 with a sentence in err.
 */
int yamledit_set(struct yamledit *ye, const char *path, const char *value,
		 struct strbuf *err);

/*
 * A text in Dutch and, optionally, English (en NULL or ""): one scalar
 * while it has only Dutch and was one, {nl, en} otherwise.  nl NULL
 * removes the text.  0 or -1 with err.
 */
int yamledit_set_text(struct yamledit *ye, const char *path, const char *nl,
		      const char *en, struct strbuf *err);

/*
 * Replace the node at path (which must exist) by flow, a YAML value on
 * one line ("[nl, en]"), unless it is equal to it already.  0 or -1.
 */
int yamledit_replace_flow(struct yamledit *ye, const char *path,
			  const char *flow, struct strbuf *err);

/*
 * Sequences of block items ("- id: ..."): append item (its lines, as they
 * would be written at indentation 0, the first one after the "- "), remove
 * item i, or swap item i with item i + 1.  0 or -1 with err.
 */
int yamledit_append(struct yamledit *ye, const char *path, const char *item,
		    struct strbuf *err);
int yamledit_remove(struct yamledit *ye, const char *path, size_t i,
		    struct strbuf *err);
int yamledit_swap(struct yamledit *ye, const char *path, size_t i,
		  struct strbuf *err);

/*
 * The lines (from 1) the node at path takes, its key's line included:
 * 0, or -1 when there is no such node.
 */
int yamledit_lines(struct yamledit *ye, const char *path, int *first,
		   int *last);

#endif
