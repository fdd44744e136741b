/* invdes.c — the command-line driver: parses the verb and hands over. */
#include "config.h"
#include <stdio.h>
#include <string.h>
int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--version") == 0) { printf("invdes %s\n", PACKAGE_VERSION); return 0; }
  fprintf(stderr, "usage: invdes COMMAND ...\n");
  return 2;
}
