/*
 * testutil.h - what the C tests share: scratch folders on a real disk.
 */
#ifndef DRAAGVLAK_TESTUTIL_H
#define DRAAGVLAK_TESTUTIL_H

/* Remove dir and everything below it; a missing dir is fine. */
void test_remove_tree(const char *dir);

#endif
