/* yaml_tree.h — one YAML document parsed by libyaml into a small node tree
 * that remembers where each node was written (internal to libinvdes).
 *
 * The tree has three node kinds: scalars (text as written, with its style),
 * sequences and mappings (keys kept in file order, each a scalar). An alias
 * points at the node its anchor named (shared, not copied). Every node carries
 * its 1-based line and column so that later checks can say where a value is.
 * This module only parses; it gives no meaning to any key or scalar and does
 * not resolve tags (a scalar is text until a caller asks for a number). */
#ifndef INVDES_YAML_TREE_H
#define INVDES_YAML_TREE_H

#include <stddef.h>

#include "error.h"

typedef enum invdes_ynode_kind {
  INVDES_YNODE_SCALAR,
  INVDES_YNODE_SEQUENCE,
  INVDES_YNODE_MAPPING
} invdes_ynode_kind;

typedef struct invdes_ynode invdes_ynode;
struct invdes_ynode {
  invdes_ynode_kind kind;
  int line, column;       /* 1-based start of the node */
  char *text;             /* scalar: NUL-terminated value */
  size_t len;             /* scalar: length of text */
  int quoted;             /* scalar: written in quotes or as a block */
  invdes_ynode **items;   /* sequence: n items; mapping: n values */
  invdes_ynode **keys;    /* mapping: n keys (scalars; other keys are refused) */
  size_t n;
};

typedef struct invdes_ytree invdes_ytree;

/* Parses text (len bytes) as one YAML document. Returns NULL with
 * "PATH:LINE:COL: ..." in err on a syntax error, a second document, a
 * non-scalar mapping key, a duplicate key or an unknown alias. An empty
 * document gives a tree whose root is NULL. */
invdes_ytree *invdes_ytree_parse(const char *path, const char *text, size_t len,
                                 invdes_error *err);
void invdes_ytree_free(invdes_ytree *t);
/* The document's root node, borrowed; NULL for an empty document. */
const invdes_ynode *invdes_ytree_root(const invdes_ytree *t);

/* 1 when a scalar is YAML's null: empty, "~" or "null" written plainly. */
int invdes_ynode_is_null(const invdes_ynode *n);
/* A short noun for error messages: "a list", "a mapping", "a text", "nothing". */
const char *invdes_ynode_kind_noun(const invdes_ynode *n);

#endif
