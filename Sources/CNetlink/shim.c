#define _GNU_SOURCE
#include "CNetlink.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <unistd.h>

int lbnet_unshare_net(void) { return unshare(CLONE_NEWNET) == 0 ? 0 : -errno; }

int lbnet_setns_net(int fd) { return setns(fd, CLONE_NEWNET) == 0 ? 0 : -errno; }

int lbnet_bind_mount(const char *source, const char *target) {
    return mount(source, target, "none", MS_BIND, NULL) == 0 ? 0 : -errno;
}

int lbnet_make_shared(const char *target) {
    return mount("none", target, NULL, MS_SHARED | MS_REC, NULL) == 0 ? 0 : -errno;
}

int lbnet_unmount_detach(const char *target) { return umount2(target, MNT_DETACH) == 0 ? 0 : -errno; }

int lbnet_use_resolv_conf(const char *path) {
    if (unshare(CLONE_NEWNS) != 0) return -errno;
    if (mount("none", "/", NULL, MS_SLAVE | MS_REC, NULL) != 0) return -errno;
    if (mount(path, "/etc/resolv.conf", NULL, MS_BIND, NULL) != 0) return -errno;
    return 0;
}

int lbnet_is_namespace_file(const char *path) {
    struct statfs fs;
    if (statfs(path, &fs) != 0) return -errno;
    return fs.f_type == NSFS_MAGIC;
}

int lbnet_pidfd_open(pid_t pid) {
    long fd = syscall(SYS_pidfd_open, pid, 0);
    return fd >= 0 ? (int)fd : -errno;
}

extern char **environ;

pid_t lbnet_spawn(int netns_fd, char *const argv[], char *const envp[], int in_fd, int out_fd, long uid, long gid,
                  const char *resolv_conf) {
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) return -errno;
    pid_t pid = fork();
    if (pid < 0) {
        int err = errno;
        close(report[0]);
        close(report[1]);
        return -err;
    }
    if (pid == 0) {
        /* Only async-signal-safe calls from here on. */
        int err = 0;
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        /* Ignored signals stay ignored across exec: give the child default dispositions. */
        struct sigaction default_action;
        memset(&default_action, 0, sizeof default_action);
        default_action.sa_handler = SIG_DFL;
        for (int sig = 1; sig < NSIG; sig++) sigaction(sig, &default_action, NULL);
        if (netns_fd >= 0 && setns(netns_fd, CLONE_NEWNET) != 0) err = errno;
        /* While still root: the resolver configuration, in a mount namespace of the child's own. */
        if (!err && resolv_conf) {
            int bound = lbnet_use_resolv_conf(resolv_conf);
            if (bound != 0) err = -bound;
        }
        if (!err && setsid() < 0) err = errno;
        /* The usual umask for the child, whatever the daemon was started with. */
        umask(022);
        if (in_fd >= 0) {
            if (!err && dup2(in_fd, 0) < 0) err = errno;
        } else {
            int devnull = open("/dev/null", O_RDONLY);
            if (!err && devnull >= 0) dup2(devnull, 0);
        }
        /* Drop root for good (groups, then group, then user) once the namespace is entered. */
        if (!err && uid >= 0) {
            gid_t group = (gid_t)gid;
            if (setgroups(1, &group) != 0 || setgid(group) != 0 || setuid((uid_t)uid) != 0) err = errno;
            if (!err && (setuid(0) == 0 || geteuid() != (uid_t)uid)) err = EPERM;
            if (!err && chdir("/") != 0) err = errno;
        }
        if (!err && out_fd >= 0) {
            dup2(out_fd, 1);
            dup2(out_fd, 2);
        }
        if (!err) {
            /* keep 0-2 and the report pipe (close-on-exec) */
            for (int fd = 3; fd < 1024; fd++)
                if (fd != report[1]) close(fd);
            if (envp) environ = (char **)envp;
            execvp(argv[0], argv);
            err = errno;
        }
        ssize_t unused = write(report[1], &err, sizeof err);
        (void)unused;
        _exit(127);
    }
    close(report[1]);
    int child_err = 0;
    ssize_t n;
    do {
        n = read(report[0], &child_err, sizeof child_err);
    } while (n < 0 && errno == EINTR);
    close(report[0]);
    if (n == (ssize_t)sizeof child_err) {
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        return -child_err;
    }
    return pid;
}
