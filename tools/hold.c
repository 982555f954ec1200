/*
 * hold.c - sharedarray create --transient: hold the new array while needed
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A transient array lives while some process holds it, and the command
 * would end, and the array with it, as soon as it is made.  So the command
 * holds the array it created: while COMMAND runs, or without COMMAND until
 * it is told to stop (SIGINT, SIGTERM, SIGHUP).  Then it detaches, which
 * removes the array unless other processes hold it too.  Signals are taken
 * with sigwaitinfo(2), not handlers: they are blocked from the start, and a
 * child gets the signal mask it would have had.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tool.h"

static pid_t start(char **command, const sigset_t *mask)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid != 0)
		return pid;
	sigprocmask(SIG_SETMASK, mask, NULL);
	execvp(command[0], command);
	fprintf(stderr, "sharedarray: %s: %s\n", command[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

/* The exit status a shell would give for STATUS. */
static int shell_status(int status)
{
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

int hold_transient(sa_array *array, char **command)
{
	sigset_t wanted, old;
	pid_t child = -1;
	int status = EXIT_SUCCESS;

	sigemptyset(&wanted);
	sigaddset(&wanted, SIGINT);
	sigaddset(&wanted, SIGTERM);
	sigaddset(&wanted, SIGHUP);
	sigaddset(&wanted, SIGCHLD);
	sigprocmask(SIG_BLOCK, &wanted, &old);
	if (command && command[0] && (child = start(command, &old)) < 0) {
		fprintf(stderr, "sharedarray: %s: %s\n", command[0], strerror(errno));
		status = EXIT_FAILURE;
	}
	while (status == EXIT_SUCCESS) {
		int sig = sigwaitinfo(&wanted, NULL), wstatus;

		if (sig < 0 && errno == EINTR)
			continue;
		if (sig < 0) {
			status = EXIT_FAILURE;
		} else if (sig == SIGCHLD) {
			if (child > 0 && waitpid(child, &wstatus, WNOHANG) == child) {
				status = shell_status(wstatus);
				break;
			}
		} else if (child > 0) {
			kill(child, sig);   /* it decides; we follow when it ends */
		} else {
			break;              /* told to stop: a normal end */
		}
	}
	sa_detach(array);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return status;
}
