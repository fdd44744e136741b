/* cli_options.h — the options of the `invdes` verbs, declared rather than
 * parsed by hand.
 *
 * A verb lists its options in an array of invdes_cli_opt (long name, the kind
 * of value, where the value goes, its range or choices) and hands it to
 * invdes_cli_parse with its --help text. The parser adds --help and
 * --version, converts and range-checks every value, checks required options,
 * and prints one message per mistake ("invdes VERB: ... (see invdes VERB
 * --help)").
 *
 * Short options are the tool's, not the verb's: one map in cli_options.c
 * gives each letter one meaning in every verb (-d is --db, -s --station,
 * -f --format, -n --count, ...), and an option gets a short form only from
 * that map. A letter of the map that a verb does not take is refused with
 * its meaning named; a short form an option had before the map (`retired`)
 * is refused with the option to write instead. */
#ifndef INVDES_CLI_OPTIONS_H
#define INVDES_CLI_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

typedef enum invdes_cli_opt_kind {
  INVDES_OPT_FLAG,    /* int *out: set to 1 */
  INVDES_OPT_TEXT,    /* const char **out: the argument as given */
  INVDES_OPT_NAME,    /* const char **out: non-empty and without '=' (a station) */
  INVDES_OPT_LIST,    /* const char **out, room for argc entries; *n counts them */
  INVDES_OPT_WHOLE,   /* unsigned long long *out: digits only, in [lo, hi] */
  INVDES_OPT_SECONDS, /* double *out: finite, >= 0 (lo == 0) or > 0 (lo == 1) */
  INVDES_OPT_CHOICE   /* int *out: the value of the matching entry of choices */
} invdes_cli_opt_kind;

typedef struct invdes_cli_choice {
  const char *name; /* NULL ends the list */
  int value;
} invdes_cli_choice;

typedef struct invdes_cli_opt {
  const char *name; /* long name without "--"; NULL ends the array */
  const char *arg;  /* the argument in messages ("FILE", "N"); ignored for flags */
  invdes_cli_opt_kind kind;
  void *out;                        /* where the value goes (see the kinds) */
  int required;                     /* refused when missing */
  unsigned long long lo, hi;        /* WHOLE: range (hi 0: no upper bound);
                                       SECONDS: lo != 0 refuses 0, hi the most */
  const invdes_cli_choice *choices; /* CHOICE */
  size_t *n;                        /* LIST: entries stored */
  int *given;                       /* set to 1 when the option appears; may be NULL */
  char retired;                     /* a short form the option no longer has, or 0 */
} invdes_cli_opt;

/* One entry of a verb's option array: name, argument, kind, destination,
 * then any designated fields (.required = 1, .lo = 1, .choices = ...). The
 * array ends with {NULL}. */
#define INVDES_CLI_OPT(NAME, ARG, KIND, OUT, ...) \
  { .name = (NAME), .arg = (ARG), .kind = (KIND), .out = (OUT), __VA_ARGS__ }

/* Parses argv[1..argc-1] of verb `verb` (argv[0] is the verb) against opts.
 * --help prints `usage` and the tool's short options on stdout, --version the
 * version. Returns -1 when the verb should go on, with *first the index of
 * the first operand (operands follow the options after parsing, as with
 * getopt); otherwise the exit status to return at once (0 after --help or
 * --version, INVDES_EXIT_USAGE after printing the mistake on stderr). */
int invdes_cli_parse(const char *verb, const char *usage, const invdes_cli_opt *opts, int argc,
                     char **argv, int *first);

/* Prints "invdes VERB: MESSAGE (see invdes VERB --help)" on stderr and
 * returns INVDES_EXIT_USAGE. */
int invdes_cli_usage_error(const char *verb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints the tool's short options, a paragraph for --help texts. */
void invdes_cli_print_short_options(FILE *out);

/* Parses the options of a verb that reports on a database: --db FILE
 * (required), --format text|json, --help, --version; no operands. Returns -1
 * when the verb should go on, with *db and *json set, or else the exit
 * status to return at once. */
int invdes_cli_report_options(const char *verb, const char *usage, int argc, char **argv,
                              const char **db, int *json);

#endif
