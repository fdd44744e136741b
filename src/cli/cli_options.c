/* cli_options.c — the tool's short-option map and the option parser every
 * verb uses (cli_options.h). getopt_long does the scanning; this file builds
 * its tables from a verb's declarations, converts values and words the
 * messages, so no verb converts a number or names an option by hand. */
#include "cli_options.h"

#include "table.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

/* The tool's short options: each letter means one long option in every verb
 * that has it, and no verb gives a letter another meaning. A long option not
 * listed here has no short form. README and every --help show this map. */
static const struct {
  char letter;
  const char *name;
} short_map[] = {
    {'d', "db"},      {'s', "station"}, {'f', "format"},   {'n', "count"},  {'q', "quiet"},
    {'o', "out"},     {'l', "lease"},   {'a', "abandon"},  {'r', "reason"}, {'F', "from"},
    {'c', "campaign"}, {'t', "train"},  {'y', "target"},   {'x', "exclude"}, {'m', "model"},
    {'p', "predict"}, {'k', "cv"},      {'h', "help"},     {'V', "version"},
};
enum { N_SHORT = sizeof short_map / sizeof short_map[0] };

/* getopt_long's value for the option at index i of a verb's array (above
 * every char, so it never collides with a letter). */
#define OPT_VAL(i) (1000 + (int)(i))
#define VAL_HELP 998
#define VAL_VERSION 999

static char short_of(const char *name) {
  for (size_t i = 0; i < N_SHORT; i++)
    if (strcmp(short_map[i].name, name) == 0) return short_map[i].letter;
  return 0;
}

static const char *long_of(char letter) {
  for (size_t i = 0; i < N_SHORT; i++)
    if (short_map[i].letter == letter) return short_map[i].name;
  return NULL;
}

void invdes_cli_print_short_options(FILE *out) {
  fputs("\nShort options mean the same in every invdes command:\n ", out);
  int col = 1;
  for (size_t i = 0; i < N_SHORT; i++) {
    char item[40];
    int len = snprintf(item, sizeof item, " -%c --%s%s", short_map[i].letter, short_map[i].name,
                       i + 1 < N_SHORT ? "," : "\n");
    if (col + len > 78) {
      fputs("\n ", out);
      col = 1;
    }
    fputs(item, out);
    col += len;
  }
}

int invdes_cli_usage_error(const char *verb, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "invdes %s: ", verb);
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, " (see invdes %s --help)\n", verb);
  va_end(ap);
  return INVDES_EXIT_USAGE;
}

/* The message for a short option the verb does not take. */
static int refuse_short(const char *verb, const invdes_cli_opt *opts, int letter) {
  const char *meaning = long_of((char)letter);
  for (size_t i = 0; opts[i].name; i++) {
    if (opts[i].retired != letter) continue;
    char now = short_of(opts[i].name);
    if (meaning)
      return invdes_cli_usage_error(verb, "-%c is --%s in every invdes command and %s takes no "
                                    "--%s; write --%s%s%s", letter, meaning, verb, meaning,
                                    opts[i].name, opts[i].arg ? " " : "",
                                    opts[i].arg ? opts[i].arg : "");
    if (now)
      return invdes_cli_usage_error(verb, "-%c is no longer an option: write -%c or --%s",
                                    letter, now, opts[i].name);
    return invdes_cli_usage_error(verb, "-%c is no longer an option: write --%s", letter,
                                  opts[i].name);
  }
  if (meaning)
    return invdes_cli_usage_error(verb, "-%c is --%s in every invdes command, and %s takes no "
                                  "--%s", letter, meaning, verb, meaning);
  return invdes_cli_usage_error(verb, "unknown option -%c", letter);
}

/* "a, b or c" for the choices of an option. */
static void choice_list(const invdes_cli_choice *c, char *buf, size_t size) {
  size_t n = 0, used = 0;
  while (c[n].name) n++;
  buf[0] = '\0';
  for (size_t i = 0; i < n && used < size; i++)
    used += (size_t)snprintf(buf + used, size - used, "%s%s",
                             i == 0 ? "" : i + 1 == n ? " or " : ", ", c[i].name);
}

static int parse_whole(const char *text, unsigned long long *out) {
  char *end;
  if (!text || *text < '0' || *text > '9') return -1;
  errno = 0;
  unsigned long long v = strtoull(text, &end, 10);
  if (errno || *end) return -1;
  *out = v;
  return 0;
}

/* Converts and stores the argument of option o; prints and returns
 * INVDES_EXIT_USAGE when it is not a valid value. */
static int store_value(const char *verb, const invdes_cli_opt *o, const char *text) {
  switch (o->kind) {
  case INVDES_OPT_FLAG: *(int *)o->out = 1; return INVDES_EXIT_OK;
  case INVDES_OPT_TEXT: *(const char **)o->out = text; return INVDES_EXIT_OK;
  case INVDES_OPT_NAME:
    if (!*text) return invdes_cli_usage_error(verb, "--%s needs a name", o->name);
    if (strchr(text, '='))
      return invdes_cli_usage_error(verb, "--%s '%s': a name has no '=' (a standard deviation "
                                    "is --sd NAME=SD)", o->name, text);
    *(const char **)o->out = text;
    return INVDES_EXIT_OK;
  case INVDES_OPT_LIST: ((const char **)o->out)[(*o->n)++] = text; return INVDES_EXIT_OK;
  case INVDES_OPT_WHOLE: {
    unsigned long long v, hi = o->hi ? o->hi : ULLONG_MAX;
    if (parse_whole(text, &v) == 0 && v >= o->lo && v <= hi) {
      *(unsigned long long *)o->out = v;
      return INVDES_EXIT_OK;
    }
    if (o->hi)
      return invdes_cli_usage_error(verb, "--%s takes a whole number from %llu to %llu, not '%s'",
                                    o->name, o->lo, o->hi, text);
    return invdes_cli_usage_error(verb, "--%s takes a whole number >= %llu, not '%s'", o->name,
                                  o->lo, text);
  }
  case INVDES_OPT_SECONDS: {
    double v = 0;
    int ok = invdes_decimal_parse(text, &v) == 0; /* decimal only: no 0x, inf, nan */
    if (ok && (o->lo ? v > 0 : v >= 0) && (!o->hi || v <= (double)o->hi)) {
      *(double *)o->out = v;
      return INVDES_EXIT_OK;
    }
    if (o->hi)
      return invdes_cli_usage_error(verb, "--%s takes seconds from %s to %llu (%.0f years), "
                                    "not '%s'", o->name, o->lo ? "more than 0" : "0", o->hi,
                                    (double)o->hi / 31557600.0, text);
    return invdes_cli_usage_error(verb, "--%s takes seconds %s 0, not '%s'", o->name,
                                  o->lo ? ">" : ">=", text);
  }
  case INVDES_OPT_CHOICE:
    for (const invdes_cli_choice *c = o->choices; c->name; c++)
      if (strcmp(c->name, text) == 0) {
        *(int *)o->out = c->value;
        return INVDES_EXIT_OK;
      }
    char list[160];
    choice_list(o->choices, list, sizeof list);
    return invdes_cli_usage_error(verb, "unknown --%s '%s' (%s)", o->name, text, list);
  }
  return INVDES_EXIT_USAGE;
}

/* getopt_long's tables for opts: longs (n + 3 entries) and shorts (room for
 * 2 * n + 6 chars). */
static void build_tables(const invdes_cli_opt *opts, size_t n, struct option *longs,
                         char *shorts) {
  size_t k = 0;
  shorts[k++] = ':'; /* a missing argument returns ':', and getopt prints nothing */
  for (size_t i = 0; i < n; i++) {
    int has_arg = opts[i].kind == INVDES_OPT_FLAG ? no_argument : required_argument;
    longs[i] = (struct option){opts[i].name, has_arg, NULL, OPT_VAL(i)};
    char c = short_of(opts[i].name);
    if (c) {
      shorts[k++] = c;
      if (has_arg == required_argument) shorts[k++] = ':';
    }
  }
  longs[n] = (struct option){"help", no_argument, NULL, VAL_HELP};
  longs[n + 1] = (struct option){"version", no_argument, NULL, VAL_VERSION};
  longs[n + 2] = (struct option){NULL, 0, NULL, 0};
  shorts[k++] = 'h';
  shorts[k++] = 'V';
  shorts[k] = '\0';
}

/* Index in opts of the option getopt_long returned as `val` (a letter or an
 * OPT_VAL), or -1. */
static long option_index(const invdes_cli_opt *opts, size_t n, int val) {
  if (val >= OPT_VAL(0) && val < OPT_VAL(n)) return val - OPT_VAL(0);
  for (size_t i = 0; i < n; i++)
    if (val < 256 && short_of(opts[i].name) == (char)val) return (long)i;
  return -1;
}

/* One option as getopt_long returned it; -1 to go on, else the exit status. */
static int take(const char *verb, const char *usage, const invdes_cli_opt *opts, size_t n,
                int val, char **argv) {
  if (val == 'h' || val == VAL_HELP) {
    fputs(usage, stdout);
    fputs(invdes_cli_exit_help, stdout);
    invdes_cli_print_short_options(stdout);
    return INVDES_EXIT_OK;
  }
  if (val == 'V' || val == VAL_VERSION) {
    invdes_cli_print_version();
    return INVDES_EXIT_OK;
  }
  if (val == '?') {
    if (optopt >= 256) /* --quiet=1: an option without a value got one */
      return invdes_cli_usage_error(verb, "'%s': the option takes no value", argv[optind - 1]);
    if (optopt) return refuse_short(verb, opts, optopt);
    return invdes_cli_usage_error(verb, "unknown option '%s'", argv[optind - 1]);
  }
  if (val == ':') {
    long i = option_index(opts, n, optopt);
    return invdes_cli_usage_error(verb, "--%s needs %s", i >= 0 ? opts[i].name : "?",
                                  i >= 0 && opts[i].arg ? opts[i].arg : "a value");
  }
  long i = option_index(opts, n, val);
  if (i < 0) return invdes_cli_usage_error(verb, "unknown option");
  if (opts[i].given) *opts[i].given = 1;
  int rc = store_value(verb, &opts[i], optarg);
  return rc == INVDES_EXIT_OK ? -1 : rc;
}

int invdes_cli_parse(const char *verb, const char *usage, const invdes_cli_opt *opts, int argc,
                     char **argv, int *first) {
  size_t n = 0;
  while (opts[n].name) n++;
  struct option *longs = calloc(n + 3, sizeof *longs);
  char *shorts = calloc(2 * n + 6, 1);
  if (!longs || !shorts) {
    free(longs);
    free(shorts);
    fprintf(stderr, "invdes %s: out of memory\n", verb);
    return INVDES_EXIT_FAILURE;
  }
  build_tables(opts, n, longs, shorts);
  unsigned char *seen = calloc(n + 1, 1);
  int rc = seen ? -1 : INVDES_EXIT_FAILURE, val;
  optind = 1;
  opterr = 0;
  while (rc == -1 && (val = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
    long i = option_index(opts, n, val);
    if (i >= 0) seen[i] = 1;
    rc = take(verb, usage, opts, n, val, argv);
  }
  for (size_t i = 0; rc == -1 && i < n; i++)
    if (opts[i].required && !seen[i])
      rc = invdes_cli_usage_error(verb, "--%s%s%s is required", opts[i].name,
                                  opts[i].kind == INVDES_OPT_FLAG ? "" : " ",
                                  opts[i].kind == INVDES_OPT_FLAG ? "" : opts[i].arg);
  *first = optind;
  free(seen);
  free(longs);
  free(shorts);
  return rc;
}

int invdes_cli_report_options(const char *verb, const char *usage, int argc, char **argv,
                              const char **db, int *json) {
  static const invdes_cli_choice formats[] = {{"text", 0}, {"json", 1}, {NULL, 0}};
  *db = NULL;
  *json = 0;
  const invdes_cli_opt opts[] = {
      INVDES_CLI_OPT("db", "FILE", INVDES_OPT_TEXT, db, .required = 1),
      INVDES_CLI_OPT("format", "F", INVDES_OPT_CHOICE, json, .choices = formats),
      {NULL}};
  int first, rc = invdes_cli_parse(verb, usage, opts, argc, argv, &first);
  if (rc == -1 && first != argc)
    rc = invdes_cli_usage_error(verb, "unexpected argument '%s'", argv[first]);
  return rc;
}
