/* yaml_tree.c — building the node tree of yaml_tree.h from libyaml's events.
 *
 * libyaml does the parsing (syntax, quoting, block scalars, flow style); this
 * file stacks its events into nodes. Every node is also kept in one list owned
 * by the tree, so that nodes shared through aliases are freed exactly once.
 * It does not interpret scalars. */
#include "yaml_tree.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct invdes_ytree {
  invdes_ynode *root;
  invdes_ynode **all;      /* every node, for freeing */
  size_t n_all, cap_all;
  struct anchor { char *name; invdes_ynode *node; } *anchors;
  size_t n_anchors, cap_anchors;
};

static int grow(void **p, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return 1;
  size_t n = *cap ? *cap * 2 : 8;
  while (n < need) n *= 2;
  void *q = realloc(*p, n * elem);
  if (!q) return 0;
  *p = q;
  *cap = n;
  return 1;
}

static void node_free(invdes_ynode *n) {
  free(n->text);
  free(n->items);
  free(n->keys);
  free(n);
}

void invdes_ytree_free(invdes_ytree *t) {
  if (!t) return;
  for (size_t i = 0; i < t->n_all; i++) node_free(t->all[i]);
  free(t->all);
  for (size_t i = 0; i < t->n_anchors; i++) free(t->anchors[i].name);
  free(t->anchors);
  free(t);
}

const invdes_ynode *invdes_ytree_root(const invdes_ytree *t) { return t ? t->root : NULL; }

static invdes_ynode *new_node(invdes_ytree *t, invdes_ynode_kind kind, yaml_mark_t m) {
  if (!grow((void **)&t->all, &t->cap_all, t->n_all + 1, sizeof *t->all)) return NULL;
  invdes_ynode *n = calloc(1, sizeof *n);
  if (!n) return NULL;
  n->kind = kind;
  n->line = (int)m.line + 1;
  n->column = (int)m.column + 1;
  t->all[t->n_all++] = n;
  return n;
}

static int add_anchor(invdes_ytree *t, const char *name, invdes_ynode *n) {
  if (!name) return 1;
  if (!grow((void **)&t->anchors, &t->cap_anchors, t->n_anchors + 1, sizeof *t->anchors))
    return 0;
  char *s = strdup(name);
  if (!s) return 0;
  t->anchors[t->n_anchors].name = s;
  t->anchors[t->n_anchors].node = n;
  t->n_anchors++;
  return 1;
}

static invdes_ynode *find_anchor(const invdes_ytree *t, const char *name) {
  for (size_t i = t->n_anchors; i-- > 0;) /* the latest definition wins */
    if (strcmp(t->anchors[i].name, name) == 0) return t->anchors[i].node;
  return NULL;
}

/* A collection being filled, and for a mapping whether a key is pending. */
typedef struct frame {
  invdes_ynode *node;
  char *anchor;  /* registered when the collection ends, so no node contains itself */
  size_t cap_items, cap_keys;
  int want_value;
} frame;

typedef struct builder {
  invdes_ytree *t;
  frame *stack;
  size_t depth, cap;
  const char *path;
  invdes_error *err;
} builder;

/* Attaches a finished node to the collection on top of the stack (or makes it
 * the root). Returns the status; a message is added on failure. */
static invdes_status attach(builder *b, invdes_ynode *n) {
  if (b->depth == 0) {
    b->t->root = n;
    return INVDES_OK;
  }
  frame *f = &b->stack[b->depth - 1];
  invdes_ynode *p = f->node;
  if (p->kind == INVDES_YNODE_SEQUENCE) {
    if (!grow((void **)&p->items, &f->cap_items, p->n + 1, sizeof *p->items))
      return invdes_error_add(b->err, INVDES_ERR_NOMEM, "%s: out of memory", b->path);
    p->items[p->n++] = n;
    return INVDES_OK;
  }
  if (!f->want_value) {
    if (n->kind != INVDES_YNODE_SCALAR)
      return invdes_error_at(b->err, INVDES_ERR_PARSE, b->path, n->line, n->column,
                             "a mapping key must be a plain name, not %s",
                             invdes_ynode_kind_noun(n));
    for (size_t i = 0; i < p->n; i++)
      if (strcmp(p->keys[i]->text, n->text) == 0)
        return invdes_error_at(b->err, INVDES_ERR_PARSE, b->path, n->line, n->column,
                               "duplicate key '%s' (first given at line %d)", n->text,
                               p->keys[i]->line);
    if (!grow((void **)&p->keys, &f->cap_keys, p->n + 1, sizeof *p->keys) ||
        !grow((void **)&p->items, &f->cap_items, p->n + 1, sizeof *p->items))
      return invdes_error_add(b->err, INVDES_ERR_NOMEM, "%s: out of memory", b->path);
    p->keys[p->n] = n;
    f->want_value = 1;
    return INVDES_OK;
  }
  p->items[p->n++] = n;
  f->want_value = 0;
  return INVDES_OK;
}

static invdes_status push(builder *b, invdes_ynode *n, const char *anchor) {
  char *a = anchor ? strdup(anchor) : NULL;
  if ((anchor && !a) || !grow((void **)&b->stack, &b->cap, b->depth + 1, sizeof *b->stack)) {
    free(a);
    return invdes_error_add(b->err, INVDES_ERR_NOMEM, "%s: out of memory", b->path);
  }
  b->stack[b->depth++] = (frame){.node = n, .anchor = a};
  return INVDES_OK;
}

static invdes_status on_event(builder *b, yaml_event_t *e, int *documents) {
  invdes_ytree *t = b->t;
  invdes_ynode *n;
  switch (e->type) {
  case YAML_DOCUMENT_START_EVENT:
    if (++*documents > 1)
      return invdes_error_at(b->err, INVDES_ERR_PARSE, b->path, (int)e->start_mark.line + 1,
                             (int)e->start_mark.column + 1,
                             "a campaign file holds one YAML document; found a second");
    return INVDES_OK;
  case YAML_SCALAR_EVENT:
    n = new_node(t, INVDES_YNODE_SCALAR, e->start_mark);
    if (!n || !(n->text = malloc(e->data.scalar.length + 1)) ||
        !add_anchor(t, (const char *)e->data.scalar.anchor, n))
      return invdes_error_add(b->err, INVDES_ERR_NOMEM, "%s: out of memory", b->path);
    memcpy(n->text, e->data.scalar.value, e->data.scalar.length);
    n->text[e->data.scalar.length] = '\0';
    n->len = e->data.scalar.length;
    n->quoted = e->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
    return attach(b, n);
  case YAML_SEQUENCE_START_EVENT:
  case YAML_MAPPING_START_EVENT: {
    int seq = e->type == YAML_SEQUENCE_START_EVENT;
    const yaml_char_t *anchor = seq ? e->data.sequence_start.anchor
                                    : e->data.mapping_start.anchor;
    n = new_node(t, seq ? INVDES_YNODE_SEQUENCE : INVDES_YNODE_MAPPING, e->start_mark);
    if (!n) return invdes_error_add(b->err, INVDES_ERR_NOMEM, "%s: out of memory", b->path);
    invdes_status s = attach(b, n);
    return s != INVDES_OK ? s : push(b, n, (const char *)anchor);
  }
  case YAML_SEQUENCE_END_EVENT:
  case YAML_MAPPING_END_EVENT:
    if (b->depth > 0) {
      frame *f = &b->stack[--b->depth];
      int ok = add_anchor(t, f->anchor, f->node);
      free(f->anchor);
      f->anchor = NULL;
      if (!ok) return invdes_error_add(b->err, INVDES_ERR_NOMEM, "%s: out of memory", b->path);
    }
    return INVDES_OK;
  case YAML_ALIAS_EVENT:
    n = find_anchor(t, (const char *)e->data.alias.anchor);
    if (!n)
      return invdes_error_at(b->err, INVDES_ERR_PARSE, b->path, (int)e->start_mark.line + 1,
                             (int)e->start_mark.column + 1, "unknown alias '*%s'",
                             (const char *)e->data.alias.anchor);
    return attach(b, n);
  default:
    return INVDES_OK;
  }
}

invdes_ytree *invdes_ytree_parse(const char *path, const char *text, size_t len,
                                 invdes_error *err) {
  invdes_ytree *t = calloc(1, sizeof *t);
  yaml_parser_t parser;
  if (!t || !yaml_parser_initialize(&parser)) {
    free(t);
    invdes_error_add(err, INVDES_ERR_NOMEM, "%s: out of memory", path);
    return NULL;
  }
  yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
  builder b = {.t = t, .path = path, .err = err};
  invdes_status status = INVDES_OK;
  int documents = 0, done = 0;
  while (!done && status == INVDES_OK) {
    yaml_event_t e;
    if (!yaml_parser_parse(&parser, &e)) {
      if (parser.error == YAML_MEMORY_ERROR) {
        status = invdes_error_add(err, INVDES_ERR_NOMEM, "%s: out of memory", path);
      } else {
        yaml_mark_t m = parser.problem_mark;
        char ctx[160] = "";
        if (parser.context)
          snprintf(ctx, sizeof ctx, " (%s at line %d, column %d)", parser.context,
                   (int)parser.context_mark.line + 1, (int)parser.context_mark.column + 1);
        status = invdes_error_at(err, INVDES_ERR_PARSE, path, (int)m.line + 1,
                                 (int)m.column + 1, "YAML syntax error: %s%s",
                                 parser.problem ? parser.problem : "malformed YAML", ctx);
      }
      break;
    }
    done = e.type == YAML_STREAM_END_EVENT;
    status = on_event(&b, &e, &documents);
    yaml_event_delete(&e);
  }
  yaml_parser_delete(&parser);
  for (size_t i = 0; i < b.depth; i++) free(b.stack[i].anchor);
  free(b.stack);
  if (status != INVDES_OK) {
    invdes_ytree_free(t);
    return NULL;
  }
  return t;
}

int invdes_ynode_is_null(const invdes_ynode *n) {
  if (!n) return 1;
  if (n->kind != INVDES_YNODE_SCALAR || n->quoted) return 0;
  return n->len == 0 || strcmp(n->text, "~") == 0 || strcmp(n->text, "null") == 0 ||
         strcmp(n->text, "Null") == 0 || strcmp(n->text, "NULL") == 0;
}

const char *invdes_ynode_kind_noun(const invdes_ynode *n) {
  if (!n || invdes_ynode_is_null(n)) return "nothing";
  switch (n->kind) {
  case INVDES_YNODE_SCALAR: return "a single value";
  case INVDES_YNODE_SEQUENCE: return "a list";
  case INVDES_YNODE_MAPPING: return "a mapping";
  }
  return "?";
}
