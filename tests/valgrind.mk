# valgrind.mk - "make check-valgrind-local": this directory's C tests
# (VALGRIND_TESTS) under memcheck.  Included by tests/Makefile.am and
# tests/hardening/Makefile.am (issue 6).
#
# - The test programs are libtool wrappers: "libtool --mode=execute" runs
#   valgrind on the real binary with the in-tree library.
# - check forks a child for every test case (CK_FORK), and memcheck follows
#   fork(2) by itself, checking each child at its exit: no --trace-children,
#   which would trace the commands tests exec (rm, sh) instead.
# - Any error, or any byte definitely lost, in any process is exit status 1:
#   a forked test case then fails, and the driver does not ignore the
#   program's exit status (AM_LOG_DRIVER_FLAGS is emptied).
# - SA_TEST_VALGRIND=1 lets tests run fewer rounds (never weaker checks) and
#   skip, with a message, what memcheck cannot run (65 530 mappings);
#   CK_TIMEOUT_MULTIPLIER: memcheck is some 30 times slower.
VALGRIND_FLAGS = \
	--error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite \
	--show-leak-kinds=definite --num-callers=30 \
	--suppressions=$(top_srcdir)/tests/valgrind.supp
VALGRIND_TIMEOUT_MULTIPLIER = 10

check-valgrind-local:
	@test -n "$(VALGRIND)" || { \
	  echo "check-valgrind: valgrind not found (apt-get install valgrind, then configure)" >&2; \
	  exit 1; }
	@test -z "$(SANITIZER_CFLAGS)" || { \
	  echo "check-valgrind: memcheck cannot run ASan programs: configure without --enable-sanitizers" >&2; \
	  exit 1; }
	SA_TEST_VALGRIND=1 CK_TIMEOUT_MULTIPLIER=$(VALGRIND_TIMEOUT_MULTIPLIER) \
	$(MAKE) $(AM_MAKEFLAGS) check-am \
	  TESTS='$(VALGRIND_TESTS)' TEST_SUITE_LOG=test-suite-valgrind.log \
	  LOG_COMPILER='$(LIBTOOL) --mode=execute $(VALGRIND) $(VALGRIND_FLAGS)' \
	  AM_LOG_DRIVER_FLAGS=
	@logs='$(VALGRIND_TESTS:=.log)'; \
	processes=`cat $$logs | grep -c 'ERROR SUMMARY:'`; \
	failing=`cat $$logs | grep 'ERROR SUMMARY:' | grep -vc 'ERROR SUMMARY: 0 errors'`; \
	lost=`cat $$logs | sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' | tr -d , | \
	      awk '{ n += $$1 } END { print n + 0 }'`; \
	echo "check-valgrind: $(subdir): $$processes processes checked by memcheck," \
	     "$$failing with errors, $$lost bytes definitely lost"
.PHONY: check-valgrind-local
