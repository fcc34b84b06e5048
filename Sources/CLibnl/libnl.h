#ifndef LBNET_CLIBNL_H
#define LBNET_CLIBNL_H

/* libnl-3: rtnetlink (libnl-route-3) and generic netlink (libnl-genl-3) messages and objects.
 * glibc's headers first, as in CNetlink.h, so that the kernel's uapi headers do not clash. */
#include <netinet/in.h>
#include <net/if.h>
#include <sys/socket.h>

#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <netlink/addr.h>
#include <netlink/object.h>
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/addr.h>
#include <netlink/route/route.h>
#include <netlink/route/nexthop.h>
#include <netlink/route/neighbour.h>
#include <netlink/route/rule.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>
#include <linux/ip_vs.h>

#endif
