/*
 * test_permissions.c - other users: modes are enforced by the kernel on the
 * file the library opens, and planted symlinks are no way in (root only:
 * children become "nobody" and "daemon" with setuid)
 *
 * Copyright (C) 2026 The libsharedarray authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hardening.h"

/*
 * Removing another user's entry of the sticky /dev/shm: unlink(2) says EPERM,
 * as sa_delete(3) documents.  Built --without-shm-dir, the library calls
 * shm_unlink(3), which glibc makes EACCES (as POSIX says for shm_unlink).
 */
#ifdef SA_SHM_DIR
#define STICKY_UNLINK_ERROR (-EPERM)
#else
#define STICKY_UNLINK_ERROR (-EACCES)
#endif

struct other_user {
	uid_t uid;
	gid_t gid;
};

static struct other_user nobody, daemon_user;

static void find_users(void)
{
	const struct passwd *pw;

	h_nobody(&nobody.uid, &nobody.gid);
	pw = getpwnam("daemon");  /* after: getpwnam's result is overwritten by the next call */
	daemon_user.uid = pw ? pw->pw_uid : 1;
	daemon_user.gid = pw ? pw->pw_gid : 1;
}

/* What another user may do with NAME: the results of each call. */
struct access_result {
	char name[512];
	struct other_user as;
	int attach_rw, attach_ro, stat, delete, listed;
	char list_dir[512];          /* "" for the shm directory */
	char list_entry[256];
};

static int try_as_other_user(void *arg)
{
	struct access_result *r = arg;
	sa_array *array;
	sa_info *info, **list;
	int n;

	if (h_become(r->as.uid, r->as.gid) < 0)
		return 80;
	r->attach_rw = sa_attach(r->name, 0, &array);
	if (r->attach_rw == 0)
		sa_detach(array);
	r->attach_ro = sa_attach(r->name, SA_RDONLY, &array);
	if (r->attach_ro == 0) {
		/* Readable: the data is there, and writing it would fault. */
		if (((const unsigned char *)sa_data(array))[0] != 0x77)
			return 81;
		sa_detach(array);
	}
	r->stat = sa_stat(r->name, &info);
	if (r->stat == 0)
		sa_info_free(info);
	n = sa_list(r->list_dir[0] ? r->list_dir : NULL, &list);
	r->listed = -1;
	if (n == -ENOTSUP && !r->list_dir[0])
		goto delete;  /* built --without-shm-dir: nothing to list */
	if (n < 0)
		return 82;
	r->listed = 0;
	for (int i = 0; i < n; i++)
		r->listed += strcmp(sa_info_name(list[i]), r->list_entry) == 0;
	sa_list_free(list);
delete:
	r->delete = sa_delete(r->name);
	return 0;
}

static void create_filled(const char *name, mode_t mode)
{
	const size_t shape[1] = { 4096 };
	sa_array *array;

	ck_assert_int_eq(sa_create(name, "|u1", 1, shape, 0, mode, &array), 0);
	memset(sa_data(array), 0x77, sa_nbytes(array));
	ck_assert_int_eq(sa_detach(array), 0);
}

/* How many times the other user's list showed the entry; -1: no shm directory to list. */
static int expected_listing(int count, bool shm)
{
#ifdef SA_SHM_DIR
	(void)shm;
	return count;
#else
	return shm ? -1 : count;
#endif
}

/* ROOT creates NAME with MODE; OTHER tries everything. */
static void check_other_user(struct access_result *r, const char *entry, const char *list_dir)
{
	snprintf(r->list_entry, sizeof(r->list_entry), "%s", entry);
	snprintf(r->list_dir, sizeof(r->list_dir), "%s", list_dir ? list_dir : "");
	ck_assert_int_eq(t_in_child(try_as_other_user, r), 0);
}

static void shm_and_file_names(char *shm, char *file, size_t len, char **dir, char *entry,
                               size_t entry_len)
{
	*dir = t_make_tmpdir();
	ck_assert_int_eq(chmod(*dir, 0755), 0);  /* others may look in, not write */
	t_bare_name(entry, entry_len, "perm");
	snprintf(shm, len, "shm://%s", entry);
	snprintf(file, len, "file://%s/%s", *dir, entry);
}

START_TEST(mode_0600_is_private_to_its_owner)
{
	struct access_result *r = h_shared_alloc(sizeof(*r));
	char shm[512], file[512], entry[128], *dir;
	sa_info *info;

	find_users();
	shm_and_file_names(shm, file, sizeof(shm), &dir, entry, sizeof(entry));
	for (int scheme = 0; scheme < 2; scheme++) {
		const char *name = scheme ? file : shm;

		create_filled(name, 0600);
		ck_assert_int_eq(sa_stat(name, &info), 0);
		ck_assert_uint_eq(sa_info_mode(info), 0600);
		sa_info_free(info);

		snprintf(r->name, sizeof(r->name), "%s", name);
		r->as = nobody;
		check_other_user(r, entry, scheme ? dir : NULL);
		ck_assert_int_eq(r->attach_rw, -EACCES);
		ck_assert_int_eq(r->attach_ro, -EACCES);
		ck_assert_int_eq(r->stat, -EACCES);
		ck_assert_int_eq(r->listed, expected_listing(0, !scheme));  /* unreadable */
		ck_assert_int_eq(r->delete, -EACCES);
		ck_assert_int_eq(sa_stat(name, &info), 0);  /* still there */
		sa_info_free(info);
		ck_assert_int_eq(sa_delete(name), 0);
	}
	h_note("0600 by root, as nobody (shm:// and file://): attach rw/ro, stat, delete "
	       "-EACCES; not listed");
	t_remove_tree(dir);
	free(dir);
	h_shared_free(r, sizeof(*r));
}
END_TEST

START_TEST(mode_0644_is_read_only_to_others)
{
	struct access_result *r = h_shared_alloc(sizeof(*r));
	char shm[512], file[512], entry[128], *dir;
	sa_info *info;

	find_users();
	shm_and_file_names(shm, file, sizeof(shm), &dir, entry, sizeof(entry));
	for (int scheme = 0; scheme < 2; scheme++) {
		const char *name = scheme ? file : shm;

		create_filled(name, 0644);
		snprintf(r->name, sizeof(r->name), "%s", name);
		r->as = nobody;
		check_other_user(r, entry, scheme ? dir : NULL);
		ck_assert_int_eq(r->attach_rw, -EACCES);
		ck_assert_int_eq(r->attach_ro, 0);
		ck_assert_int_eq(r->stat, 0);
		ck_assert_int_eq(r->listed, expected_listing(1, !scheme));
		/* Removing a name needs the directory: sticky /dev/shm, or a 0755 one. */
		ck_assert_int_eq(r->delete, scheme ? -EACCES : STICKY_UNLINK_ERROR);
		ck_assert_int_eq(sa_stat(name, &info), 0);
		sa_info_free(info);
		ck_assert_int_eq(sa_delete(name), 0);
	}
	h_note("0644 by root, as nobody: attach ro, stat, list ok; attach rw -EACCES; delete "
	       "-EPERM (sticky /dev/shm) or -EACCES (0755 directory)");
	t_remove_tree(dir);
	free(dir);
	h_shared_free(r, sizeof(*r));
}
END_TEST

struct create_as {
	char name[512];
	struct other_user as;
	mode_t mode, umask;
	int result;
};

static int create_as_other_user(void *arg)
{
	struct create_as *c = arg;
	const size_t shape[1] = { 4096 };
	sa_array *array;

	if (h_become(c->as.uid, c->as.gid) < 0)
		return 80;
	umask(c->umask);
	c->result = sa_create(c->name, "|u1", 1, shape, 0, c->mode, &array);
	if (c->result == 0) {
		memset(sa_data(array), 0x77, sa_nbytes(array));
		sa_detach(array);
	}
	return 0;
}

/* Between two unprivileged users, with an explicit mode and with the umask. */
START_TEST(one_user_cannot_attach_another_users_private_array)
{
	struct create_as *c = h_shared_alloc(sizeof(*c));
	struct access_result *r = h_shared_alloc(sizeof(*r));
	static const struct { mode_t mode, umask; } modes[] = { { 0600, 022 }, { 0, 077 } };
	char bare[128];
	sa_info *info;

	find_users();
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		t_bare_name(bare, sizeof(bare), "users");
		snprintf(c->name, sizeof(c->name), "shm://%s", bare);
		c->as = nobody;
		c->mode = modes[i].mode;
		c->umask = modes[i].umask;
		ck_assert_int_eq(t_in_child(create_as_other_user, c), 0);
		ck_assert_int_eq(c->result, 0);
		ck_assert_int_eq(sa_stat(c->name, &info), 0);
		ck_assert_uint_eq(sa_info_mode(info), 0600);
		ck_assert_uint_eq(sa_info_uid(info), nobody.uid);
		sa_info_free(info);

		snprintf(r->name, sizeof(r->name), "%s", c->name);
		r->as = daemon_user;
		check_other_user(r, bare, NULL);
		ck_assert_int_eq(r->attach_rw, -EACCES);
		ck_assert_int_eq(r->attach_ro, -EACCES);
		ck_assert_int_eq(r->stat, -EACCES);
		ck_assert_int_eq(r->listed, expected_listing(0, true));
		ck_assert_int_eq(r->delete, -EACCES);

		/* Its owner can, of course. */
		r->as = nobody;
		check_other_user(r, bare, NULL);
		ck_assert_int_eq(r->attach_rw, 0);
		ck_assert_int_eq(r->attach_ro, 0);
		ck_assert_int_eq(r->stat, 0);
		ck_assert_int_eq(r->listed, expected_listing(1, true));
		ck_assert_int_eq(r->delete, 0);
	}
	h_note("nobody's 0600 array (explicit, and mode 0 with umask 077), as daemon: attach, "
	       "stat, delete -EACCES, not listed; as nobody: all ok");
	h_shared_free(c, sizeof(*c));
	h_shared_free(r, sizeof(*r));
}
END_TEST

/* Another user plants a symlink to root's file at the name root will create. */
START_TEST(symlink_planted_by_another_user_is_not_followed)
{
	struct create_as *c = h_shared_alloc(sizeof(*c));
	const size_t shape[1] = { 4096 };
	static const char secret[] = "root's file";
	char *dir = t_make_tmpdir(), victim[512], planted[512], bare[128], buf[32];
	int fd;

	find_users();
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	t_write_file(victim, secret, sizeof(secret));
	t_bare_name(bare, sizeof(bare), "planted");
	snprintf(planted, sizeof(planted), "/dev/shm/%s", bare);
	snprintf(c->name, sizeof(c->name), "shm://%s", bare);
	/* The symlink is nobody's, in the sticky, world-writable /dev/shm. */
	ck_assert_int_eq(symlink(victim, planted), 0);
	ck_assert_int_eq(lchown(planted, nobody.uid, nobody.gid), 0);
	for (unsigned flags = 0; flags <= SA_RESERVE; flags += SA_RESERVE)
		ck_assert_int_eq(sa_create(c->name, "|u1", 1, shape, flags, 0600, NULL), -EEXIST);
	fd = open(victim, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(read(fd, buf, sizeof(buf)), sizeof(secret));
	ck_assert_mem_eq(buf, secret, sizeof(secret));
	close(fd);
	ck_assert_int_eq(unlink(planted), 0);
	h_note("symlink planted by nobody in /dev/shm to a root file: root's create -EEXIST, "
	       "file untouched");
	t_remove_tree(dir);
	free(dir);
	h_shared_free(c, sizeof(*c));
}
END_TEST

static Suite *permissions_suite(void)
{
	Suite *s = suite_create("permissions");
	TCase *tc = tcase_create("permissions");

	tcase_add_test(tc, mode_0600_is_private_to_its_owner);
	tcase_add_test(tc, mode_0644_is_read_only_to_others);
	tcase_add_test(tc, one_user_cannot_attach_another_users_private_array);
	tcase_add_test(tc, symlink_planted_by_another_user_is_not_followed);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	t_require_root("children drop to other users with setuid");
	return t_run_suite(permissions_suite());
}
