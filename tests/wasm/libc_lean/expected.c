/* Regenerates expected.txt with the host's glibc: cc -I. expected.c && ./a.out > expected.txt */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cases.h"
#define PRINT_CASE(...) { char line[64]; snprintf(line, sizeof line, __VA_ARGS__); puts(line); }
int main(void) {
  PRINTF_CASES(PRINT_CASE)
  char cut[8]; char line[64];
  int wanted = snprintf(cut, 4, "%s", "abcdef");
  sprintf(line, "%d %s", wanted, cut); puts(line);
  sprintf(line, "%p", (void*)0x1234); puts(line);
  const char* cases[] = STRTOD_CASES;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char* end; double value = strtod(cases[i], &end); unsigned long long bits;
    memcpy(&bits, &value, sizeof bits);
    snprintf(line, sizeof line, "%s -> %d %x %x", cases[i], (int)(end - cases[i]),
             (unsigned)(bits >> 32), (unsigned)bits);
    puts(line);
  }
  return 0;
}
