#ifndef LBNET_CNETLINK_H
#define LBNET_CNETLINK_H

/* glibc's headers come before the kernel's uapi headers to avoid redefinitions. */
#include <netinet/in.h>
#include <net/if.h>
#include <sys/types.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <stdint.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if_link.h>
#include <linux/if_addr.h>
#include <linux/veth.h>
#include <linux/genetlink.h>
#include <linux/ip_vs.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_nat.h>

#include <libmnl/libmnl.h>
#include <libnftnl/batch.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/gen.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <libnftnl/udata.h>

/* Values of macros Swift cannot import. */
static inline size_t lbnet_mnl_socket_buffer_size(void) { return MNL_SOCKET_BUFFER_SIZE; }

/* Namespace syscalls (glibc declares them only under _GNU_SOURCE). Each returns 0 or -errno. */
int lbnet_unshare_net(void);
int lbnet_setns_net(int fd);
int lbnet_bind_mount(const char *source, const char *target);
int lbnet_make_shared(const char *target);
int lbnet_unmount_detach(const char *target);
/* Gives the calling process its own mount namespace (mounts below / no longer propagate back)
 * and binds `path` over /etc/resolv.conf in it, as `ip netns exec` does with /etc/netns. */
int lbnet_use_resolv_conf(const char *path);
/* 1 if `path` is a bound namespace file (its file system is nsfs), 0 if not, -errno on error. */
int lbnet_is_namespace_file(const char *path);

/*
 * pidfd_open(2) (glibc has no wrapper before 2.36, and Swift cannot call the variadic syscall()):
 * a close-on-exec descriptor that becomes readable when process `pid` exits. Returns it, or -errno.
 */
int lbnet_pidfd_open(pid_t pid);

/*
 * fork, then in the child: reset signal dispositions and mask, enter the network namespace
 * `netns_fd` (if >= 0), bind `resolv_conf` (if not NULL) over /etc/resolv.conf in a mount
 * namespace of its own, start a new session, set the umask to 022, redirect stdin to `in_fd` (if >= 0, else /dev/null)
 * and stdout/stderr to `out_fd`; if `uid` >= 0, drop root for good (supplementary groups to
 * `gid` alone, setgid, setuid, checked by trying to get root back) and change to `/`; close
 * every other descriptor and execvp `argv[0]`. Returns the child's pid, or -errno if the fork,
 * the setns, the mounts, the privilege drop or the exec failed (reported back through a close-on-exec pipe,
 * so a failed exec is an error here, not a silent child exit).
 */
pid_t lbnet_spawn(int netns_fd, char *const argv[], char *const envp[], int in_fd, int out_fd, long uid, long gid,
                  const char *resolv_conf);

#endif
