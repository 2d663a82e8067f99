/*
 * banned_use.c - compiled by the banned_* tests.  With -DUSE_<fn> it calls
 * that banned function and must fail to compile; with none it must compile,
 * which shows the failures come from banned.h and not from this file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

int main(void)
{
	char buf[16] = "";
	int n = 0;

#if defined(USE_strcpy)
	strcpy(buf, "x");
#elif defined(USE_strcat)
	strcat(buf, "x");
#elif defined(USE_sprintf)
	sprintf(buf, "%d", 1);
#elif defined(USE_atoi)
	n = atoi("1");
#endif
	return n + buf[0];
}
