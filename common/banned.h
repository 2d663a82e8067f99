/*
 * banned.h - functions that must not be used in draagvlak.
 *
 * Every one of these has written past a buffer or silently accepted bad
 * input in some well-known project.  Including this header last in every
 * .c file turns a use into a compile error that names the better call.
 * The idea and the trick come from git's banned.h.
 */
#ifndef DRAAGVLAK_BANNED_H
#define DRAAGVLAK_BANNED_H

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy_use_strbuf_or_memcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat_use_strbuf)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy_use_strbuf_or_memcpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat_use_strbuf)
#undef sprintf
#define sprintf(...) BANNED(sprintf_use_strbuf_addf_or_snprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf_use_strbuf_vaddf)
#undef atoi
#define atoi(x) BANNED(atoi_use_strtol_with_checks)
#undef atol
#define atol(x) BANNED(atol_use_strtol_with_checks)
#undef gets
#define gets(x) BANNED(gets)

#endif
