# tsan.mk - "make check-tsan": test_threads (threads racing on shared names)
# built with ThreadSanitizer, together with the library's own sources, and
# run once.  Included by tests/Makefile.am (issue 6).
#
# - The library's sources are compiled into the program rather than linked
#   from lib/.libs: TSan must instrument the library's code to see its
#   races, and an instrumented shared library would need every other test
#   program built with TSan as well.
# - Any report is a failure (halt_on_error, exit status 66).
# - setarch -R: GCC 12's TSan runtime cannot map its shadow memory beside
#   the randomized layouts of recent kernels ("unexpected memory mapping").
TSAN_PROGRAM = tsan-test-threads
TSAN_CFLAGS = -fsanitize=thread -g -O1
TSAN_OPTIONS_FOR_CHECK = halt_on_error=1 exitcode=66 second_deadlock_stack=1

check-tsan:
	@test -z "$(SANITIZER_CFLAGS)" || { \
	  echo "check-tsan: TSan cannot be combined with ASan: configure without --enable-sanitizers" >&2; \
	  exit 1; }
	$(AM_V_CC)$(CC) -DHAVE_CONFIG_H -I$(top_builddir) -I$(top_srcdir)/include \
	  -I$(top_srcdir)/lib -I$(srcdir) $(WARN_CFLAGS) $(CHECK_CFLAGS) $(TSAN_CFLAGS) \
	  -o $(TSAN_PROGRAM) $(top_srcdir)/lib/*.c $(srcdir)/support.c $(srcdir)/test_threads.c \
	  $(CHECK_LIBS) $(SHM_LIBS) -lpthread
	CK_VERBOSITY=normal TSAN_OPTIONS='$(TSAN_OPTIONS_FOR_CHECK)' \
	  setarch `uname -m` -R ./$(TSAN_PROGRAM)
	@echo "check-tsan: test_threads under ThreadSanitizer: no data race reported"
.PHONY: check-tsan

clean-local: clean-tsan
clean-tsan:
	rm -f $(TSAN_PROGRAM)
.PHONY: clean-tsan
