// SPDX-License-Identifier: GPL-2.0
/*
 * The follower in the background: started by famfs mount and mount.famfs,
 * stopped by umount.famfs (which must stop it before it unmounts: while
 * it polls, the follower has files of the mount open for an instant).
 * It is detached (its own session, working directory /, no terminal) so
 * that it outlives the command that mounted, and says what it must
 * through syslog.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "famfs/famfs_ops.h"
#include "core/internal.h"

#define STOP_WAIT_MS	5000

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void detach(void)
{
	struct sigaction sa = { .sa_handler = on_stop };
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (chdir("/"))
		_exit(1);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);	/* no SA_RESTART: wake the sleep */
	sigaction(SIGINT, &sa, NULL);
	signal(SIGHUP, SIG_IGN);
	openlog("famfs-follower", LOG_PID, LOG_DAEMON);
}

static int pid_path(const uint8_t fs_uuid[16], char *path, size_t len)
{
	return famfs_run_path(fs_uuid, "follower", path, len, NULL);
}

static void write_pid(const char *path)
{
	FILE *fp = fopen(path, "we");

	if (!fp)
		return;
	fprintf(fp, "%d\n", (int)getpid());
	fclose(fp);
}

static pid_t read_pid(const char *path)
{
	FILE *fp = fopen(path, "re");
	int pid = 0;

	if (!fp)
		return 0;
	if (fscanf(fp, "%d", &pid) != 1)
		pid = 0;
	fclose(fp);
	return pid > 0 ? pid : 0;
}

static void __attribute__((noreturn)) follow_forever(struct famfs_follower *f)
{
	struct famfs_play_stats st = { 0 };
	struct famfs_error err = { 0 };
	char path[PATH_MAX];
	bool pidfile;
	int rc;

	detach();
	pidfile = !pid_path(famfs_follower_fs_uuid(f), path, sizeof(path));
	if (pidfile)
		write_pid(path);
	rc = famfs_follower_run(f, &stop_requested, &st, &err);
	if (rc)
		syslog(LOG_ERR, "%s", err.msg);
	if (pidfile && read_pid(path) == getpid())
		unlink(path);
	_exit(rc ? 1 : 0);
}

int famfs_follower_spawn(struct famfs_follower *f, struct famfs_error *err)
{
	int status, fds[2];
	pid_t pid, daemon = 0;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return famfs_error_set(err, -errno, "follower: %s", strerror(errno));
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return famfs_error_set(err, -errno, "follower: cannot fork: %s",
				       strerror(errno));
	}
	if (!pid) {
		/* The middle process exits, so that init adopts the follower. */
		close(fds[0]);
		setsid();
		pid = fork();
		if (pid > 0 && write(fds[1], &pid, sizeof(pid)) == sizeof(pid))
			_exit(0);
		if (pid)
			_exit(1);
		close(fds[1]);
		follow_forever(f);
	}
	close(fds[1]);
	if (read(fds[0], &daemon, sizeof(daemon)) != sizeof(daemon))
		daemon = 0;
	close(fds[0]);
	waitpid(pid, &status, 0);
	if (daemon <= 0)
		return famfs_error_set(err, -ECHILD, "follower: could not start");
	return daemon;
}

int famfs_follower_stop(const uint8_t fs_uuid[16])
{
	char path[PATH_MAX];
	struct timespec ts = { 0, 10 * 1000000L };
	pid_t pid;
	int waited;

	if (pid_path(fs_uuid, path, sizeof(path)))
		return 0;
	pid = read_pid(path);
	if (!pid || kill(pid, SIGTERM) < 0)
		return 0;
	for (waited = 0; waited < STOP_WAIT_MS && !kill(pid, 0); waited += 10)
		nanosleep(&ts, NULL);
	unlink(path);
	return 1;
}
